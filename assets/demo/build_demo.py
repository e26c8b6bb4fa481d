#!/usr/bin/env python3
"""Build the trailscope demo dataset: a leaked-key incident hidden in a few days of CloudTrail noise.

What it does
    Reads the real (anonymised) CloudTrail records under tests/fixtures/ and uses them as templates.
    Every event written here starts as a copy of a fixture record with the right eventSource and
    eventName (or the closest record when no such record exists). It is then re-timed and re-keyed
    for the story in assets/demo/STORY.md: new eventTime, eventID, requestID, region, account,
    identity, source IP, user agent and, where the story needs them, request/response bodies.

    The output imitates what a trail delivers to S3:
        assets/demo/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
            <account>_CloudTrail_<region>_YYYYMMDDTHHMMZ_<16 alnum>.json.gz    {"Records":[...]}
        assets/demo/AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
            <account>_CloudTrail-Digest_<region>_management-events_<region>_YYYYMMDDTHHMMZ.json.gz

How to regenerate
    From the repository root:    python3 assets/demo/build_demo.py
    It deletes and rewrites assets/demo/AWSLogs/. Python 3.11 standard library only.
    The output is byte-for-byte reproducible: one seeded RNG, no wall clock, gzip mtime=0.
    At the end it prints the per-step counts and templates that STORY.md quotes; if you change
    the story, paste the new numbers into STORY.md.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import random
import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from difflib import SequenceMatcher
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------

DEMO_DIR = Path(__file__).resolve().parent
REPO_ROOT = DEMO_DIR.parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
OUT_DIR = DEMO_DIR / "AWSLogs"

SEED = 20261119

# --------------------------------------------------------------------------------------------
# Story constants (tests and STORY.md rely on these exact values)
# --------------------------------------------------------------------------------------------

PROD = "111122223333"  # production account, where the key leaked
SECOND = "444455556666"  # second account, reached through OrganizationAccountAccessRole
ACCOUNTS = (PROD, SECOND)
TRAIL_NAME = "management-events"
LOG_BUCKET = "acme-cloudtrail-logs"
REGIONS = ("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2")

LEAKED_KEY = "AKIAXLEAKED0EXAMPLE1"
CI_USER = "ci-deploy"
CI_USER_ARN = f"arn:aws:iam::{PROD}:user/{CI_USER}"
CI_PRINCIPAL_ID = "AIDAXCIDEPLOY0000001"
CI_IPS = ("34.201.10.11", "34.201.10.12")
CI_UA = "aws-cli/2.15.30 Python/3.11.8 Linux/5.10 exe/x86_64.amzn.2 prompt/off command/s3.cp"
ARTIFACT_BUCKET = "acme-build-artifacts"

ATTACKER_IP = "198.51.100.77"
ATTACKER_CLI_UA = "aws-cli/2.13.5 Python/3.11.4 Darwin/23.1.0 source/arm64 prompt/off command/{command}"
ATTACKER_BOTO_UA = "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#6.5 md/arch#x86_64 lang/python#3.11.6"

TARGET_ROLE = "OrganizationAccountAccessRole"
TARGET_ROLE_ARN = f"arn:aws:iam::{SECOND}:role/{TARGET_ROLE}"
TARGET_ROLE_ID = "AROAXORGACCESS000001"
SESSION_NAME = "deploy-sync"
SESSION_KEY = "ASIAXATTACKSESSION01"
SESSION_ARN = f"arn:aws:sts::{SECOND}:assumed-role/{TARGET_ROLE}/{SESSION_NAME}"

BACKDOOR_USER = "backup-svc"
BACKDOOR_USER_ARN = f"arn:aws:iam::{SECOND}:user/{BACKDOOR_USER}"
BACKDOOR_PRINCIPAL_ID = "AIDAXBACKUPSVC000001"
BACKDOOR_KEY = "AKIAXPERSIST0BACKUP1"

FINANCE_BUCKET = "acme-finance-reports"
FINANCE_REGION = "eu-west-1"
TRAIL_ARN_SECOND = f"arn:aws:cloudtrail:us-east-1:{SECOND}:trail/{TRAIL_NAME}"

STORY_KEYS = (LEAKED_KEY, SESSION_KEY, BACKDOOR_KEY)


def utc(day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A time in November 2026 (the whole dataset lives in that month)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=timezone.utc)


DATA_START = utc(17)
DATA_END = utc(20, 23, 59, 59)
STOP_LOGGING_AT = utc(19, 2, 38, 52)
# A responder restarts the trail; until then account SECOND delivers no management events
# (only S3 data events, which come from a separate data-event trail).
RESTART_LOGGING_AT = utc(19, 8, 5, 33)

STEP_LABELS = {
    "baseline": "0. Baseline: ci-deploy's normal CI uploads (leaked key, CI IPs)",
    "1": "1. Leaked-key probe: sts:GetCallerIdentity",
    "2": "2. Reconnaissance with the leaked key",
    "3": "3. Cross-account sts:AssumeRole (both copies)",
    "4": "4. Second account: recon, backdoor user, StopLogging",
    "5": "5. Theft and destruction in acme-finance-reports",
}

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # the alphabet AWS uses for key and principal IDs
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ACCOUNT_ID = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def aws_console_date(t: datetime, comma_after_year: bool) -> str:
    """The 'Nov 19, 2026, 3:21:40 AM' style that STS (with comma) and IAM (without) put in responses."""
    hour12 = t.hour % 12 or 12
    ampm = "AM" if t.hour < 12 else "PM"
    year_sep = ", " if comma_after_year else " "
    return f"{MONTHS[t.month - 1]} {t.day}, {t.year}{year_sep}{hour12}:{t.minute:02d}:{t.second:02d} {ampm}"


def stable_id(prefix: str, name: str, length: int = 17) -> str:
    """Principal and key IDs derived from a name, so the cast keeps its IDs when the noise changes."""
    digest = hashlib.sha256(name.encode()).digest()
    return prefix + "".join(KEY_ALPHABET[b % 32] for b in digest[:length])


def stable_hex(name: str, length: int) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:length]


def camel_to_kebab(name: str) -> str:
    name = re.sub(r"\d{8}(v\d)?$", "", name)  # lambda API names carry a version suffix
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


# --------------------------------------------------------------------------------------------
# Template library: the real fixture records
# --------------------------------------------------------------------------------------------

# Fields a real record normally carries; used to prefer the most complete template.
STANDARD_FIELDS = (
    "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
    "sourceIPAddress", "userAgent", "requestParameters", "responseElements", "requestID",
    "eventID", "readOnly", "eventType", "managementEvent", "recipientAccountId", "eventCategory",
    "tlsDetails",
)
# When no record has the API's own name, the IAM action name is the next best match
# (S3 ListObjects is authorised by s3:ListBucket).
NAME_ALIASES = {"ListObjects": "ListBucket"}
# Prefer real detonation logs over LookupEvents output over hand-curated rule tests.
SOURCE_RANK = {"stratus": 0, "plaso": 1, "panther": 2}


@dataclass
class Template:
    record: dict
    origin: str
    kind: str
    order: int

    @property
    def source(self) -> str:
        return self.record.get("eventSource", "")

    @property
    def name(self) -> str:
        return self.record.get("eventName", "")

    @property
    def identity_type(self) -> str | None:
        identity = self.record.get("userIdentity")
        return identity.get("type") if isinstance(identity, dict) else None

    def is_api_record(self) -> bool:
        """VPC-endpoint (network activity) records are a different record kind; never a template
        for management or data events."""
        r = self.record
        return r.get("eventType") != "AwsVpceEvent" and r.get("eventCategory") != "NetworkActivity"

    def wellformed(self) -> int:
        """Rule-test records sometimes have placeholder times or string booleans; real ones do not."""
        r = self.record
        score = 0
        score += bool(ISO_Z.match(str(r.get("eventTime", ""))))
        score += bool(re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-", str(r.get("eventID", ""))))
        score += isinstance(r.get("managementEvent"), bool)
        score += isinstance(r.get("tlsDetails"), dict)
        return score


def load_templates() -> list[Template]:
    """Read the three fixture sets named in the brief. Order is fixed so picks are deterministic."""
    templates: list[Template] = []

    stratus_dir = FIXTURES / "stratus-red-team-detonation-logs"
    for path in sorted(stratus_dir.glob("*.json")):
        for index, record in enumerate(json.loads(path.read_text())):
            origin = f"stratus-red-team-detonation-logs/{path.name} [{index}]"
            templates.append(Template(record, origin, "stratus", len(templates)))

    plaso = FIXTURES / "plaso-lookupevents-jsonl" / "aws_cloudtrail.jsonl"
    for lineno, line in enumerate(plaso.read_text().splitlines(), start=1):
        if line.strip():
            record = json.loads(json.loads(line)["CloudTrailEvent"])
            origin = f"plaso-lookupevents-jsonl/aws_cloudtrail.jsonl line {lineno}"
            templates.append(Template(record, origin, "plaso", len(templates)))

    panther = FIXTURES / "panther-analysis-cloudtrail-test-events" / "panther_cloudtrail_rule_tests.jsonl"
    for lineno, line in enumerate(panther.read_text().splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            origin = (f"panther-analysis-cloudtrail-test-events/panther_cloudtrail_rule_tests.jsonl "
                      f"line {lineno} ({row['rule_id']}: {row['test_name']})")
            templates.append(Template(row["event"], origin, "panther", len(templates)))

    return [t for t in templates if t.source and t.name]


class TemplateLibrary:
    def __init__(self, templates: list[Template]):
        self.templates = templates
        self._cache: dict[tuple, Template] = {}

    def pick(self, source: str, name: str, identity_type: str | None, error: bool, console: bool,
             pin: str | None = None) -> Template:
        """Best template for an event: exact source+name first, then the closest name in the same
        service; ties broken by record kind and quality, then identity type, error, console.
        `pin` restricts the choice to templates whose origin contains that text."""
        key = (source, name, identity_type, error, console, pin)
        if key not in self._cache:
            pool = [t for t in self.templates if pin is None or pin in t.origin]
            assert pool, pin
            self._cache[key] = max(pool, key=lambda t: self._score(t, *key[:5]))
        return self._cache[key]

    @staticmethod
    def _score(t: Template, source, name, identity_type, error, console):
        # Identity, error and console only break ties: the builder rewrites those fields anyway,
        # while version, TLS and additionalEventData come from the template, so real records win.
        exact = t.source == source and t.name == name
        return (
            exact,
            t.source == source,
            1.0 if exact else round(max(SequenceMatcher(None, t.name, n).ratio()
                                        for n in (name, NAME_ALIASES.get(name, name))), 3),
            t.is_api_record(),
            -SOURCE_RANK[t.kind],
            t.wellformed(),
            sum(f in t.record for f in STANDARD_FIELDS),
            t.identity_type == identity_type,
            ("errorCode" in t.record) == error,
            ("sessionCredentialFromConsole" in t.record) == console,
            -t.order,
        )


def rekey_accounts(value, account: str):
    """Rewrite every 12-digit account ID left in a template to the story account, so fields we keep
    from the template (additionalEventData, tlsDetails, ...) never name a foreign account."""
    if isinstance(value, dict):
        return {k: rekey_accounts(v, account) for k, v in value.items()}
    if isinstance(value, list):
        return [rekey_accounts(v, account) for v in value]
    if isinstance(value, str):
        return ACCOUNT_ID.sub(lambda m: m.group(0) if m.group(0) in ACCOUNTS else account, value)
    return value


# --------------------------------------------------------------------------------------------
# Identities
# --------------------------------------------------------------------------------------------

def iam_user_identity(account: str, user: str, principal_id: str, access_key: str | None,
                      console_since: datetime | None = None, mfa: bool = True) -> dict:
    identity = {
        "type": "IAMUser",
        "principalId": principal_id,
        "arn": f"arn:aws:iam::{account}:user/{user}",
        "accountId": account,
    }
    if access_key:
        identity["accessKeyId"] = access_key
    identity["userName"] = user
    if console_since is not None:  # console calls run on temporary credentials tied to the sign-in
        identity["sessionContext"] = {
            "sessionIssuer": {},
            "webIdFederationData": {},
            "attributes": {"creationDate": iso(console_since), "mfaAuthenticated": str(mfa).lower()},
        }
    return identity


def root_identity(account: str, access_key: str | None = None, console_since: datetime | None = None) -> dict:
    identity = {"type": "Root", "principalId": account, "arn": f"arn:aws:iam::{account}:root", "accountId": account}
    if access_key:
        identity["accessKeyId"] = access_key
    if console_since is not None:
        identity["sessionContext"] = {
            "sessionIssuer": {},
            "webIdFederationData": {},
            "attributes": {"creationDate": iso(console_since), "mfaAuthenticated": "true"},
        }
    return identity


def assumed_role_identity(account: str, role: str, session: str, access_key: str, since: datetime,
                          role_path: str = "/", web_identity_provider: str | None = None,
                          ec2_instance: bool = False, invoked_by: str | None = None) -> dict:
    role_id = stable_id("AROA", f"{account}/{role}")
    web = {}
    if web_identity_provider:
        web = {"federatedProvider": web_identity_provider, "attributes": {}}
    context = {
        "sessionIssuer": {
            "type": "Role",
            "principalId": role_id,
            "arn": f"arn:aws:iam::{account}:role{role_path}{role}",
            "accountId": account,
            "userName": role,
        },
        "webIdFederationData": web,
        "attributes": {"creationDate": iso(since), "mfaAuthenticated": "false"},
    }
    if ec2_instance:
        context["ec2RoleDelivery"] = "2.0"
    identity = {
        "type": "AssumedRole",
        "principalId": f"{role_id}:{session}",
        "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session}",
        "accountId": account,
        "accessKeyId": access_key,
        "sessionContext": context,
    }
    if invoked_by:
        identity["invokedBy"] = invoked_by
    return identity


def service_identity(service: str) -> dict:
    return {"type": "AWSService", "invokedBy": service}


# --------------------------------------------------------------------------------------------
# Event builder
# --------------------------------------------------------------------------------------------

# Key order of a real CloudTrail record, so the output reads like the real thing.
RECORD_ORDER = (
    "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
    "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
    "responseElements", "additionalEventData", "requestID", "eventID", "readOnly", "resources",
    "eventType", "apiVersion", "managementEvent", "recipientAccountId", "sharedEventID",
    "vpcEndpointId", "vpcEndpointAccountId", "serviceEventDetails", "eventCategory", "tlsDetails",
    "sessionCredentialFromConsole",
)


def tls_host(source: str, region: str, params: dict | None) -> str:
    """The Host header a client would have sent for this call."""
    service = source.split(".")[0]
    if service == "iam":
        return "iam.amazonaws.com"
    if service == "signin":
        return "signin.aws.amazon.com"
    if service == "sts":
        return "sts.amazonaws.com" if region == "us-east-1" else f"sts.{region}.amazonaws.com"
    if service == "s3":
        bucket = (params or {}).get("bucketName")
        return f"{bucket}.s3.{region}.amazonaws.com" if bucket else f"s3.{region}.amazonaws.com"
    if service == "ecr":
        return f"api.ecr.{region}.amazonaws.com"
    if service == "organizations":
        return "organizations.us-east-1.amazonaws.com"
    if service == "billingconsole":
        return f"{region}.console.aws.amazon.com"
    return f"{service}.{region}.amazonaws.com"


class Builder:
    """Turns a fixture template plus story values into one record, and remembers which template
    and story step each record came from (for the summary and STORY.md)."""

    def __init__(self, rng: random.Random, library: TemplateLibrary):
        self.rng = rng
        self.library = library
        self.records: list[dict] = []
        self.step_of: dict[str, str] = {}
        self.step_templates: dict[str, list[tuple[str, str]]] = {}
        self.slot_cache: dict[tuple[str, str, int], list[datetime]] = {}

    # -- random values (all from the one seeded RNG) ------------------------------------------
    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def token(self, length: int, alphabet: str = ALNUM) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    def temp_key(self) -> str:
        key = "ASIA" + self.token(16, KEY_ALPHABET)
        assert key not in STORY_KEYS
        return key

    def s3_request_id(self) -> str:
        return self.token(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    def session_token(self, length: int = 96) -> str:
        return "IQoJb3JpZ2luX2Vj" + self.token(length, ALNUM + "+/") + "="

    def jitter(self, t: datetime, low: int, high: int) -> datetime:
        return t + timedelta(seconds=self.rng.randint(low, high))

    def between(self, start: datetime, end: datetime) -> datetime:
        span = int((end - start).total_seconds())
        return start + timedelta(seconds=self.rng.randint(0, max(span, 0)))

    # -- the record itself ---------------------------------------------------------------------
    def event(self, *, when: datetime, account: str, region: str, source: str, name: str,
              identity: dict, ip: str, ua: str, params: dict | None = None,
              response: dict | None = None, error: tuple[str, str] | None = None,
              read_only: bool = True, data_event: bool = False, resources: list | None = None,
              additional: dict | None = None, event_type: str | None = None,
              request_id: str | None | bool = True, shared_event_id: str | None = None,
              vpce: str | None = None, console: bool = False, service_details: dict | None = None,
              step: str | None = None, pin: str | None = None) -> dict:
        template = self.library.pick(source, name, identity.get("type"), bool(error and error[0]), console, pin)
        base = rekey_accounts(copy.deepcopy(template.record), account)
        exact = template.source == source and template.name == name

        record: dict = {}
        # Kept from the template: schema version and event type (what the brief calls "the shape").
        record["eventVersion"] = base.get("eventVersion") or "1.08"
        record["userIdentity"] = identity
        record["eventTime"] = iso(when)
        record["eventSource"] = source
        record["eventName"] = name
        record["awsRegion"] = region
        record["sourceIPAddress"] = ip
        record["userAgent"] = ua
        code, message = error or (None, None)
        if code:
            record["errorCode"] = code
        if message:
            record["errorMessage"] = message
        record["requestParameters"] = params
        # A failed API call has no response; a failed sign-in (no errorCode) still says "Failure".
        record["responseElements"] = None if code else response
        # additionalEventData only survives when the template is the same API (e.g. ConsoleLogin).
        extra = base.get("additionalEventData") if exact and isinstance(base.get("additionalEventData"), dict) else None
        if additional is not None:
            extra = {**(extra or {}), **additional}
        if extra:
            record["additionalEventData"] = extra
        if request_id is True:
            record["requestID"] = self.s3_request_id() if source == "s3.amazonaws.com" else self.uuid()
        elif isinstance(request_id, str):
            record["requestID"] = request_id
        record["eventID"] = self.uuid()
        record["readOnly"] = read_only
        if resources is not None:
            record["resources"] = resources
        record["eventType"] = event_type or (base.get("eventType") if exact else None) or "AwsApiCall"
        if isinstance(base.get("apiVersion"), str) and exact:
            record["apiVersion"] = base["apiVersion"]
        record["managementEvent"] = not data_event
        record["recipientAccountId"] = account
        if shared_event_id:
            record["sharedEventID"] = shared_event_id
        if vpce:
            record["vpcEndpointId"] = vpce
            record["vpcEndpointAccountId"] = account
        if service_details:
            record["serviceEventDetails"] = service_details
        record["eventCategory"] = "Data" if data_event else "Management"
        if identity.get("type") != "AWSService":
            # Calls over the network carry TLS details; keep the template's cipher/version (older
            # S3 templates only name the cipher in additionalEventData: a TLS 1.2 suite).
            tls = base.get("tlsDetails") if isinstance(base.get("tlsDetails"), dict) else {}
            if not tls and extra and str(extra.get("CipherSuite", "")).startswith("ECDHE"):
                tls = {"tlsVersion": "TLSv1.2", "cipherSuite": extra["CipherSuite"]}
            record["tlsDetails"] = {
                "tlsVersion": tls.get("tlsVersion", "TLSv1.3"),
                "cipherSuite": tls.get("cipherSuite", "TLS_AES_128_GCM_SHA256"),
                "clientProvidedHostHeader": tls_host(source, region, params),
            }
        if console:
            record["sessionCredentialFromConsole"] = "true"

        ordered = {k: record[k] for k in RECORD_ORDER if k in record}
        self.records.append(ordered)
        if step:
            self.step_of[ordered["eventID"]] = step
            used = self.step_templates.setdefault(step, [])
            entry = (name, template.origin)
            if entry not in used:
                used.append(entry)
        return ordered

    def s3_object_event(self, *, when, account, region, bucket, key, name, identity, ip, ua,
                        read_only, bytes_out=0, bytes_in=0, error=None, vpce=None,
                        step=None, extra_params=None) -> dict:
        """An S3 object-level data event, shaped like the ones a data-event trail writes."""
        params = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "key": key}
        params.update(extra_params or {})
        return self.event(
            when=when, account=account, region=region, source="s3.amazonaws.com", name=name,
            identity=identity, ip=ip, ua=ua, params=params, response=None, error=error,
            read_only=read_only, data_event=True, vpce=vpce, step=step,
            additional=self.s3_additional(bytes_in, bytes_out),
            resources=[
                {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
                {"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"},
            ],
        )

    def s3_list_event(self, *, when, account, region, bucket, prefix, identity, ip, ua, v2=True,
                      step=None) -> dict:
        """ListObjects/ListObjectsV2 on a bucket. CloudTrail names both 'ListObjects'; V2 shows
        up as requestParameters list-type=2."""
        params = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com",
                  "prefix": prefix, "delimiter": "/", "encoding-type": "url"}
        if v2:
            params["list-type"] = "2"
        return self.event(
            when=when, account=account, region=region, source="s3.amazonaws.com", name="ListObjects",
            identity=identity, ip=ip, ua=ua, params=params, read_only=True, data_event=True, step=step,
            additional=self.s3_additional(0, self.rng.randint(600, 9000)),
            resources=[
                {"type": "AWS::S3::Object", "ARNPrefix": f"arn:aws:s3:::{bucket}/{prefix}"},
                {"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"},
            ],
        )

    def s3_additional(self, bytes_in: int, bytes_out: int) -> dict:
        return {
            "SignatureVersion": "SigV4",
            "CipherSuite": "TLS_AES_128_GCM_SHA256",
            "bytesTransferredIn": bytes_in,
            "AuthenticationMethod": "AuthHeader",
            "x-amz-id-2": self.token(56, ALNUM + "+/") + "=",
            "bytesTransferredOut": bytes_out,
        }


def not_authorized(principal_arn: str, action: str, resource: str | None = None) -> str:
    """IAM-style denial text, as IAM, STS, S3, Lambda and Secrets Manager write it."""
    where = f" on resource: {resource}" if resource else ""
    return (f"User: {principal_arn} is not authorized to perform: {action}{where} "
            f"because no identity-based policy allows the {action} action")


def ec2_unauthorized(principal_arn: str, action: str, encoded: str | None = None) -> str:
    message = "You are not authorized to perform this operation. " + not_authorized(principal_arn, action)
    if encoded:
        message += f". Encoded authorization failure message: {encoded}"
    return message


# --------------------------------------------------------------------------------------------
# The story
# --------------------------------------------------------------------------------------------

def leaked_key_identity() -> dict:
    return iam_user_identity(PROD, CI_USER, CI_PRINCIPAL_ID, LEAKED_KEY)


def attacker_session_identity() -> dict:
    return {
        "type": "AssumedRole",
        "principalId": f"{TARGET_ROLE_ID}:{SESSION_NAME}",
        "arn": SESSION_ARN,
        "accountId": SECOND,
        "accessKeyId": SESSION_KEY,
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": TARGET_ROLE_ID, "arn": TARGET_ROLE_ARN,
                              "accountId": SECOND, "userName": TARGET_ROLE},
            "webIdFederationData": {},
            "attributes": {"creationDate": iso(utc(19, 2, 21, 40)), "mfaAuthenticated": "false"},
        },
    }


def backdoor_identity() -> dict:
    return iam_user_identity(SECOND, BACKDOOR_USER, BACKDOOR_PRINCIPAL_ID, BACKDOOR_KEY)


def cli_ua(source: str, name: str) -> str:
    """The attacker's aws-cli user agent, with the command it ran (s3 'ls' for ListBuckets)."""
    service = source.split(".")[0]
    command = "s3.ls" if name == "ListBuckets" else f"{service}.{camel_to_kebab(name)}"
    return ATTACKER_CLI_UA.format(command=command)


def story_baseline(b: Builder) -> None:
    """ci-deploy's normal life before the leak: a few artifact uploads from the CI hosts."""
    runs = [utc(17, 14, 2, 11), utc(17, 18, 47, 30), utc(17, 21, 15, 5),
            utc(18, 13, 30, 44), utc(18, 16, 12, 9), utc(18, 20, 58, 51)]
    for run_index, start in enumerate(runs):
        ip = CI_IPS[run_index % 2]
        build = f"build-{4410 + run_index}"
        for n, artifact in enumerate(("app.zip", "app.zip.sha256", "sbom.json")):
            b.s3_object_event(
                when=start + timedelta(seconds=4 * n), account=PROD, region="us-east-1",
                bucket=ARTIFACT_BUCKET, key=f"webapp/{build}/{artifact}", name="PutObject",
                identity=leaked_key_identity(), ip=ip, ua=CI_UA, read_only=False,
                bytes_in=b.rng.randint(200, 48_000_000) if n != 1 else 64, step="baseline")


def story_probe(b: Builder) -> None:
    b.event(when=utc(19, 2, 11, 5), account=PROD, region="us-east-1", source="sts.amazonaws.com",
            name="GetCallerIdentity", identity=leaked_key_identity(), ip=ATTACKER_IP,
            ua=cli_ua("sts", "GetCallerIdentity"), step="1")


def story_recon(b: Builder) -> None:
    """What a key-holder does next: enumerate, mostly hitting walls (ci-deploy is scoped to CI)."""
    me = CI_USER_ARN
    iam = "iam.amazonaws.com"
    calls = [
        # (time, region, source, name, params, error)
        ((2, 11, 31), "us-east-1", "s3.amazonaws.com", "ListBuckets", {"Host": "s3.us-east-1.amazonaws.com"}, None),
        ((2, 11, 58), "us-east-1", iam, "ListUsers", None,
         ("AccessDenied", not_authorized(me, "iam:ListUsers", f"arn:aws:iam::{PROD}:user/"))),
        ((2, 12, 10), "us-east-1", iam, "ListRoles", None,
         ("AccessDenied", not_authorized(me, "iam:ListRoles", f"arn:aws:iam::{PROD}:role/"))),
        ((2, 12, 33), "us-east-1", iam, "ListAttachedUserPolicies", {"userName": CI_USER},
         ("AccessDenied", not_authorized(me, "iam:ListAttachedUserPolicies", me))),
        ((2, 12, 51), "us-east-1", iam, "GetUser", {"userName": CI_USER},
         ("AccessDenied", not_authorized(me, "iam:GetUser", me))),
        ((2, 13, 20), "us-east-1", iam, "GetAccountAuthorizationDetails", None,
         ("AccessDenied", not_authorized(me, "iam:GetAccountAuthorizationDetails", "*"))),
    ]
    ec2_times = {"us-east-1": (2, 14, 2), "us-west-2": (2, 14, 9), "eu-west-1": (2, 14, 15), "ap-southeast-2": (2, 14, 22)}
    for region, hms in ec2_times.items():
        calls.append((hms, region, "ec2.amazonaws.com", "DescribeInstances",
                      {"instancesSet": {}, "filterSet": {}},
                      ("Client.UnauthorizedOperation", ec2_unauthorized(me, "ec2:DescribeInstances"))))
    calls += [
        ((2, 15, 40), "us-east-1", "secretsmanager.amazonaws.com", "ListSecrets", None,
         ("AccessDeniedException", not_authorized(me, "secretsmanager:ListSecrets"))),
        ((2, 16, 5), "us-east-1", "s3.amazonaws.com", "GetBucketPolicy",
         {"bucketName": ARTIFACT_BUCKET, "Host": f"{ARTIFACT_BUCKET}.s3.us-east-1.amazonaws.com", "policy": ""},
         ("AccessDenied", "Access Denied")),
        ((2, 17, 12), "us-east-1", "lambda.amazonaws.com", "ListFunctions20150331", None,
         ("AccessDenied", not_authorized(me, "lambda:ListFunctions", "*"))),
        ((2, 18, 30), "us-east-1", "organizations.amazonaws.com", "DescribeOrganization", None,
         ("AccessDeniedException", "You don't have permissions to access this resource.")),
        ((2, 18, 57), "us-east-1", iam, "ListAccountAliases", None,
         ("AccessDenied", not_authorized(me, "iam:ListAccountAliases", "*"))),
    ]
    for (h, m, s), region, source, name, params, error in calls:
        resources = None
        if source == "s3.amazonaws.com" and params and "bucketName" in params:
            resources = [{"accountId": PROD, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{params['bucketName']}"}]
        b.event(when=utc(19, h, m, s), account=PROD, region=region, source=source, name=name,
                identity=leaked_key_identity(), ip=ATTACKER_IP, ua=cli_ua(source, name),
                params=params, error=error, resources=resources, step="2")


def story_assume_role(b: Builder) -> None:
    """One AssumeRole call, two records: the caller's account and the role's account both log it,
    with the same requestID and sharedEventID (that is how CloudTrail records cross-account STS)."""
    when = utc(19, 2, 21, 40)
    shared = b.uuid()
    request_id = b.uuid()
    params = {"roleArn": TARGET_ROLE_ARN, "roleSessionName": SESSION_NAME, "durationSeconds": 3600}
    response = {
        "credentials": {
            "accessKeyId": SESSION_KEY,
            "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLEFAKESESSIONTOKENdeploysync" + b.token(64, ALNUM + "+/") + "=",
            "expiration": aws_console_date(when + timedelta(hours=1), comma_after_year=True),
        },
        "assumedRoleUser": {"assumedRoleId": f"{TARGET_ROLE_ID}:{SESSION_NAME}", "arn": SESSION_ARN},
    }
    resources = [{"accountId": SECOND, "type": "AWS::IAM::Role", "ARN": TARGET_ROLE_ARN}]
    ua = cli_ua("sts", "AssumeRole")
    b.event(when=when, account=PROD, region="us-east-1", source="sts.amazonaws.com", name="AssumeRole",
            identity=leaked_key_identity(), ip=ATTACKER_IP, ua=ua, params=params, response=response,
            resources=resources, request_id=request_id, shared_event_id=shared, step="3")
    b.event(when=when, account=SECOND, region="us-east-1", source="sts.amazonaws.com", name="AssumeRole",
            identity={"type": "AWSAccount", "principalId": CI_PRINCIPAL_ID, "accountId": PROD},
            ip=ATTACKER_IP, ua=ua, params=params, response=response, resources=resources,
            request_id=request_id, shared_event_id=shared, step="3",
            pin="AWS.EC2.ManyPasswordReadAttempts: Unrelated Event")  # the fixtures' one AWSAccount AssumeRole


def story_second_account(b: Builder) -> None:
    """Inside 444455556666 as the assumed role: look around, mint a backdoor admin user, blind the trail."""
    who = attacker_session_identity
    iam = "iam.amazonaws.com"
    created = utc(19, 2, 28, 15)
    calls = [
        ((2, 24, 12), "us-east-1", "sts.amazonaws.com", "GetCallerIdentity", None, None, None, True),
        ((2, 24, 40), "us-east-1", iam, "ListUsers", None, None, None, True),
        ((2, 25, 5), "us-east-1", iam, "ListRoles", None, None, None, True),
        ((2, 25, 40), "us-east-1", "s3.amazonaws.com", "ListBuckets", {"Host": "s3.us-east-1.amazonaws.com"}, None, None, True),
        ((2, 26, 10), "eu-west-1", "ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}, None, None, True),
        ((2, 26, 48), "us-east-1", "cloudtrail.amazonaws.com", "DescribeTrails", {"includeShadowTrails": True}, None, None, True),
        ((2, 27, 5), "us-east-1", "cloudtrail.amazonaws.com", "GetTrailStatus", {"name": TRAIL_ARN_SECOND}, None, None, True),
        ((2, 28, 15), "us-east-1", iam, "CreateUser", {"userName": BACKDOOR_USER},
         {"user": {"path": "/", "userName": BACKDOOR_USER, "userId": BACKDOOR_PRINCIPAL_ID,
                   "arn": BACKDOOR_USER_ARN, "createDate": aws_console_date(created, comma_after_year=False)}},
         None, False),
        ((2, 28, 41), "us-east-1", iam, "AttachUserPolicy",
         {"userName": BACKDOOR_USER, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, None, None, False),
        ((2, 29, 3), "us-east-1", iam, "CreateAccessKey", {"userName": BACKDOOR_USER},
         {"accessKey": {"userName": BACKDOOR_USER, "accessKeyId": BACKDOOR_KEY, "status": "Active",
                        "createDate": aws_console_date(utc(19, 2, 29, 3), comma_after_year=False)}},
         None, False),
        ((2, 31, 22), "us-east-1", iam, "ListAttachedUserPolicies", {"userName": BACKDOOR_USER}, None, None, True),
        ((2, 38, 52), "us-east-1", "cloudtrail.amazonaws.com", "StopLogging", {"name": TRAIL_ARN_SECOND}, None,
         [{"accountId": SECOND, "type": "AWS::CloudTrail::Trail", "ARN": TRAIL_ARN_SECOND}], False),
    ]
    for (h, m, s), region, source, name, params, response, resources, read_only in calls:
        b.event(when=utc(19, h, m, s), account=SECOND, region=region, source=source, name=name,
                identity=who(), ip=ATTACKER_IP, ua=cli_ua(source, name), params=params,
                response=response, resources=resources, read_only=read_only, step="4")


def story_exfiltration(b: Builder) -> None:
    """With the backdoor key: list the finance bucket, copy it out, then delete the Q3 ledgers."""
    rng = b.rng
    common = dict(account=SECOND, region=FINANCE_REGION, bucket=FINANCE_BUCKET,
                  identity=backdoor_identity(), ip=ATTACKER_IP, ua=ATTACKER_BOTO_UA, step="5")
    listing = [(utc(19, 2, 45, 10), "", True), (utc(19, 2, 45, 31), "reports/", True),
               (utc(19, 2, 46, 2), "reports/2026/Q3/", True), (utc(19, 2, 46, 20), "reports/2026/Q2/", False)]
    for when, prefix, v2 in listing:
        b.s3_list_event(when=when, prefix=prefix, v2=v2, **common)

    stolen = [f"reports/2026/Q3/ledger-{n:04d}.csv" for n in range(1, 43)]
    stolen += ["reports/2026/Q3/payroll-summary.xlsx", "reports/2026/Q3/board-pack.pdf"]
    stolen += [f"reports/2026/Q2/ledger-{n:04d}.csv" for n in range(1, 5)]
    t = utc(19, 2, 47, 3)
    for key in stolen:  # a download loop: a request every few seconds
        b.s3_object_event(when=t, key=key, name="GetObject", read_only=True,
                          bytes_out=rng.randint(18_000, 2_400_000), **common)
        t += timedelta(seconds=rng.randint(8, 26))

    t = max(t, utc(19, 3, 4, 0)) + timedelta(seconds=rng.randint(20, 90))
    for n in range(1, 31):  # then destroy the Q3 ledgers
        b.s3_object_event(when=t, key=f"reports/2026/Q3/ledger-{n:04d}.csv", name="DeleteObject",
                          read_only=False, **common)
        t += timedelta(seconds=rng.randint(6, 22))
    assert t <= utc(19, 3, 20), t
    b.s3_list_event(when=utc(19, 3, 19, 41), prefix="reports/2026/Q3/", v2=True, **common)


# --------------------------------------------------------------------------------------------
# Benign cast and noise
# --------------------------------------------------------------------------------------------

BROWSERS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
)
GITHUB_RUNNER_IPS = ("4.175.114.51", "20.57.44.13", "52.176.3.140", "13.64.201.87", "172.183.41.9", "20.109.38.22")
GHA_OIDC = "token.actions.githubusercontent.com"
GHA_UA = ("aws-sdk-js/3.696.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js md/nodejs#20.18.0 api/sts#3.696.0 "
          "configure-aws-credentials-for-github-actions")
DEPLOY_UA = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#{command}"
TERRAFORM_UA = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0 "
                "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.4 ua/2.1 os/linux "
                "lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/{api}")
APP_UA = {
    "web-app": "aws-sdk-java/2.29.6 Linux/6.1.115-126.197.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.5+11-LTS Java/21.0.5 vendor/Amazon.com_Inc. exec-env/AWS_ECS_EC2 io/sync http/Apache cfg/retry-mode/legacy",
    "eu-api": "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/s3#1.67.0",
    "batch-worker": "Boto3/1.35.60 md/Botocore#1.35.60 ua/2.0 os/linux#6.1.115-126.197.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.60",
    "finance-etl": "Boto3/1.35.44 md/Botocore#1.35.44 ua/2.0 os/linux#6.1.112-124.190.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.44 exec-env/AWS_ECS_FARGATE",
    "dr-sync": "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.1.115-126.197.amzn2023.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#s3.sync",
    "au-reporting": "aws-sdk-nodejs/3.687.0 ua/2.1 os/linux#5.10.227-239.884.amzn2.x86_64 lang/js md/nodejs#20.18.0 exec-env/AWS_Lambda_nodejs20.x api/s3#3.687.0",
}


@dataclass(frozen=True)
class Human:
    account: str
    name: str
    ips: tuple[str, ...]
    regions: tuple[str, ...]
    hours: tuple[int, int]  # working hours in UTC

    @property
    def principal_id(self) -> str:
        return stable_id("AIDA", f"{self.account}/{self.name}")

    @property
    def arn(self) -> str:
        return f"arn:aws:iam::{self.account}:user/{self.name}"


HUMANS = (
    Human(PROD, "alice", ("203.0.113.24",), ("us-east-1", "us-west-2"), (13, 22)),
    Human(PROD, "bob", ("203.0.113.57", "192.0.2.146"), ("us-east-1", "us-west-2", "ap-southeast-2"), (14, 23)),
    Human(PROD, "carol", ("203.0.113.88",), ("us-east-1", "eu-west-1"), (8, 17)),
    Human(SECOND, "dave", ("192.0.2.23",), ("eu-west-1", "us-east-1"), (8, 17)),
    Human(SECOND, "erin", ("192.0.2.61",), ("eu-west-1", "us-west-2"), (9, 18)),
)


@dataclass(frozen=True)
class App:
    """A workload role on EC2/ECS/Lambda: reads its bucket, fetches a secret, decrypts with KMS."""
    account: str
    region: str
    role: str
    bucket: str
    prefixes: tuple[str, ...]
    secret: str
    every_hours: int
    reads: tuple[int, int]
    instances: int
    subnet: str

    def instance_ids(self) -> list[str]:
        return [f"i-0{stable_hex(f'{self.account}/{self.role}/{n}', 16)}" for n in range(self.instances)]


APPS = (
    App(PROD, "us-east-1", "web-app", "acme-web-assets", ("static/js/", "static/css/", "img/products/", "templates/"),
        "prod/web/db-credentials", 1, (9, 17), 3, "10.20.1"),
    App(PROD, "eu-west-1", "eu-api", "acme-eu-api-cache", ("cache/catalog/", "cache/pricing/"),
        "prod/eu-api/redis", 2, (6, 12), 2, "10.30.2"),
    App(PROD, "us-west-2", "batch-worker", "acme-batch-input", ("inbox/", "manifests/"),
        "prod/batch/queue-token", 3, (5, 10), 2, "10.40.3"),
    App(PROD, "ap-southeast-2", "au-reporting", "acme-au-reports", ("daily/",),
        "prod/au/reporting-api", 6, (3, 6), 0, "10.50.4"),
    App(SECOND, FINANCE_REGION, "finance-etl", FINANCE_BUCKET, ("ingest/2026/11/", "ingest/erp-export/"),
        "finance/etl/warehouse", 2, (6, 12), 2, "10.60.5"),
    App(SECOND, "us-west-2", "dr-sync", "acme-dr-replica", ("snapshots/",),
        "finance/dr/sync-token", 6, (3, 6), 1, "10.70.6"),
)

CONSOLE_ACTIONS = (
    # (source, name, read_only, console user agent, weight)
    ("ec2.amazonaws.com", "DescribeInstances", True, "console.ec2.amazonaws.com", 8),
    ("ec2.amazonaws.com", "DescribeInstanceStatus", True, "console.ec2.amazonaws.com", 4),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", True, "console.ec2.amazonaws.com", 4),
    ("ec2.amazonaws.com", "DescribeVpcs", True, "console.ec2.amazonaws.com", 2),
    ("ec2.amazonaws.com", "DescribeAddresses", True, "console.ec2.amazonaws.com", 1),
    ("s3.amazonaws.com", "ListBuckets", True, "AWS Internal", 3),
    ("iam.amazonaws.com", "ListUsers", True, "console.amazonaws.com", 2),
    ("iam.amazonaws.com", "GetUser", True, "console.amazonaws.com", 1),
    ("iam.amazonaws.com", "ListAccessKeys", True, "console.amazonaws.com", 1),
    ("cloudtrail.amazonaws.com", "LookupEvents", True, "console.amazonaws.com", 3),
    ("lambda.amazonaws.com", "ListFunctions20150331", True, "console.amazonaws.com", 2),
    ("logs.amazonaws.com", "DescribeLogGroups", True, "console.amazonaws.com", 2),
    ("kms.amazonaws.com", "ListAliases", True, "console.amazonaws.com", 1),
    ("ssm.amazonaws.com", "DescribeInstanceInformation", True, "console.amazonaws.com", 1),
    ("ec2.amazonaws.com", "StopInstances", False, "console.ec2.amazonaws.com", 1),
    ("ec2.amazonaws.com", "StartInstances", False, "console.ec2.amazonaws.com", 1),
)
GLOBAL_SOURCES = ("iam.amazonaws.com", "organizations.amazonaws.com", "signin.amazonaws.com")


def region_for(source: str, wanted: str) -> str:
    """Global services (IAM, Organizations, sign-in) log in us-east-1."""
    return "us-east-1" if source in GLOBAL_SOURCES else wanted


def console_params(name: str, user: Human, region: str) -> dict | None:
    """What the console sends for each page a user opens (their own dev box for start/stop)."""
    if name in ("StopInstances", "StartInstances", "DescribeInstanceStatus"):
        instance = f"i-0{stable_hex(f'{user.account}/{region}/dev-{user.name}', 16)}"
        params = {"instancesSet": {"items": [{"instanceId": instance}]}}
        if name == "StopInstances":
            params["force"] = False
        return params
    if name == "DescribeInstances":
        return {"instancesSet": {}, "filterSet": {}}
    if name == "LookupEvents":
        return {"maxResults": 50, "lookupAttributes": [{"attributeKey": "ReadOnly", "attributeValue": "false"}]}
    if name == "ListBuckets":
        return {"Host": f"s3.{region}.amazonaws.com"}
    if name in ("GetUser", "ListAccessKeys"):
        return {"userName": user.name}
    if name == "DescribeLogGroups":
        return {"limit": 50}
    return None


def console_sign_in(b: Builder, user: Human, when: datetime, ip: str, browser: str, success: bool = True) -> None:
    identity = iam_user_identity(user.account, user.name, user.principal_id, None)
    if not success:  # a failed sign-in has no arn: CloudTrail never proved who it was
        identity = {"type": "IAMUser", "principalId": user.principal_id, "accountId": user.account,
                    "accessKeyId": "", "userName": user.name}
    b.event(when=when, account=user.account, region="us-east-1", source="signin.amazonaws.com",
            name="ConsoleLogin", identity=identity, ip=ip, ua=browser, params=None,
            response={"ConsoleLogin": "Success" if success else "Failure"},
            error=None if success else (None, "Failed authentication"), read_only=False,
            event_type="AwsConsoleSignIn",
            request_id=False,
            additional={"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_1a2b3c4d5e6f7a8b",
                        "MobileVersion": "No",
                        **({"MFAIdentifier": f"arn:aws:iam::{user.account}:mfa/{user.name}"} if success else {}),
                        "MFAUsed": "Yes" if success else "No"})


def noise_console_users(b: Builder) -> None:
    """Each engineer signs in most days (with MFA) and clicks around the console."""
    rng = b.rng
    weights = [a[4] for a in CONSOLE_ACTIONS]
    for day in (17, 18, 19, 20):
        for user in HUMANS:
            if rng.random() < 0.12:
                continue  # a day off
            for _ in range(rng.choice((1, 1, 2))):
                start = b.between(utc(day, user.hours[0]), utc(day, user.hours[1] - 1))
                ip = rng.choice(user.ips)
                browser = rng.choice(BROWSERS)
                console_sign_in(b, user, start, ip, browser)
                session_key = b.temp_key()
                t = start
                for _ in range(rng.randint(10, 30)):
                    t += timedelta(seconds=rng.randint(4, 200))
                    source, name, read_only, ua, _w = rng.choices(CONSOLE_ACTIONS, weights=weights)[0]
                    region = region_for(source, rng.choice(user.regions))
                    identity = iam_user_identity(user.account, user.name, user.principal_id, session_key,
                                                 console_since=start)
                    params = console_params(name, user, region)
                    b.event(when=t, account=user.account, region=region, source=source, name=name,
                            identity=identity, ip=ip, ua=ua, params=params,
                            response=instance_state_change(b, name, params), read_only=read_only, console=True)


def instance_state_change(b: Builder, name: str, params: dict | None) -> dict | None:
    """EC2 answers Stop/StartInstances with the old and new instance state."""
    if name not in ("StopInstances", "StartInstances"):
        return None
    instance = params["instancesSet"]["items"][0]["instanceId"]
    before, after = ((16, "running"), (64, "stopping")) if name == "StopInstances" else ((80, "stopped"), (0, "pending"))
    return {"requestId": b.uuid(), "instancesSet": {"items": [{
        "instanceId": instance, "currentState": {"code": after[0], "name": after[1]},
        "previousState": {"code": before[0], "name": before[1]}}]}}


def noise_root_login(b: Builder) -> None:
    """The one Root sign-in: the account owner updates the billing contact, the day before the incident."""
    when = utc(18, 16, 42, 9)
    ip, browser = "203.0.113.10", BROWSERS[0]
    b.event(when=when, account=PROD, region="us-east-1", source="signin.amazonaws.com", name="ConsoleLogin",
            identity=root_identity(PROD), ip=ip, ua=browser, params=None,
            response={"ConsoleLogin": "Success"}, read_only=False, event_type="AwsConsoleSignIn",
            request_id=False,
            additional={"LoginTo": "https://console.aws.amazon.com/billing/home?state=hashArgs%23&isauthcode=true",
                        "MobileVersion": "No", "MFAIdentifier": f"arn:aws:iam::{PROD}:mfa/root-account-mfa-device",
                        "MFAUsed": "Yes"})
    key = b.temp_key()
    for offset, name in ((48, "GetContactInformation"), (95, "GetAlternateContact")):
        b.event(when=when + timedelta(seconds=offset), account=PROD, region="us-east-1",
                source="billingconsole.amazonaws.com", name=name,
                identity=root_identity(PROD, key, console_since=when), ip=ip, ua=browser,
                params={"map": {}} if name == "GetAlternateContact" else None,
                event_type="AwsConsoleAction", request_id=False)


def github_run_id(b: Builder) -> str:
    return f"run-8812{b.rng.randint(100000, 999999)}"


def gha_assume(b: Builder, account: str, role: str, repo: str, when: datetime, ip: str) -> tuple[dict, datetime]:
    """GitHub Actions OIDC: AssumeRoleWithWebIdentity, then the session identity used by the job."""
    provider = f"arn:aws:iam::{account}:oidc-provider/{GHA_OIDC}"
    subject = f"repo:{repo}:ref:refs/heads/main"
    session = github_run_id(b)
    key = b.temp_key()
    role_arn = f"arn:aws:iam::{account}:role/{role}"
    role_id = stable_id("AROA", f"{account}/{role}")
    b.event(when=when, account=account, region="us-east-1", source="sts.amazonaws.com",
            name="AssumeRoleWithWebIdentity",
            identity={"type": "WebIdentityUser", "principalId": f"{provider}:sts.amazonaws.com:{subject}",
                      "userName": subject, "identityProvider": provider},
            ip=ip, ua=GHA_UA,
            params={"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600},
            response={"credentials": {"accessKeyId": key, "sessionToken": b.session_token(),
                                      "expiration": aws_console_date(when + timedelta(hours=1), True)},
                      "subjectFromWebIdentityToken": subject,
                      "assumedRoleUser": {"assumedRoleId": f"{role_id}:{session}",
                                          "arn": f"arn:aws:sts::{account}:assumed-role/{role}/{session}"},
                      "provider": provider, "audience": "sts.amazonaws.com"},
            resources=[{"accountId": account, "type": "AWS::IAM::Role", "ARN": role_arn}],
            additional={"identityProviderConnectionVerificationMethod": "IAMTrustStore"})
    identity = assumed_role_identity(account, role, session, key, when, web_identity_provider=provider)
    return identity, when


def noise_github_deploys(b: Builder) -> None:
    """CI deploys: OIDC role, push an image, upload artifacts, update a Lambda."""
    rng = b.rng
    plan = {PROD: ("GitHubActionsDeploy", "acme/webapp", (5, 9)), SECOND: ("GitHubActionsDeploy", "acme/finance-etl", (1, 3))}
    for day in (17, 18, 19, 20):
        for account, (role, repo, runs) in plan.items():
            for _ in range(rng.randint(*runs)):
                start = b.between(utc(day, 13), utc(day, 23, 30))
                ip = rng.choice(GITHUB_RUNNER_IPS)
                identity, t = gha_assume(b, account, role, repo, start, ip)
                # A short commit SHA; start with a letter so it never reads like an account ID.
                sha = rng.choice("abcdef") + "".join(rng.choice("0123456789abcdef") for _ in range(11))
                region = "us-east-1" if account == PROD else FINANCE_REGION
                app = repo.split("/")[1]

                def call(source, name, params=None, response=None, read_only=True, region=region):
                    nonlocal t
                    t += timedelta(seconds=rng.randint(2, 40))
                    command = f"{source.split('.')[0]}.{camel_to_kebab(name)}"
                    b.event(when=t, account=account, region=region, source=source, name=name,
                            identity=identity, ip=ip, ua=DEPLOY_UA.format(command=command),
                            params=params, response=response, read_only=read_only)

                call("sts.amazonaws.com", "GetCallerIdentity", region="us-east-1")
                call("ecr.amazonaws.com", "GetAuthorizationToken", {"registryIds": [account]})
                call("ecr.amazonaws.com", "PutImage", {"repositoryName": app, "imageTag": sha, "registryId": account},
                     read_only=False)
                for artifact in ("bundle.tar.gz", "manifest.json"):
                    t += timedelta(seconds=rng.randint(1, 8))
                    bucket = ARTIFACT_BUCKET if account == PROD else "acme-finance-artifacts"
                    b.s3_object_event(when=t, account=account, region="us-east-1", bucket=bucket,
                                      key=f"{app}/{sha}/{artifact}", name="PutObject", identity=identity,
                                      ip=ip, ua=DEPLOY_UA.format(command="s3.cp"), read_only=False,
                                      bytes_in=rng.randint(2_000, 30_000_000))
                function_arn = f"arn:aws:lambda:{region}:{account}:function:{app}-api"
                call("lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
                     {"functionName": function_arn, "imageUri": f"{account}.dkr.ecr.{region}.amazonaws.com/{app}:{sha}",
                      "publish": True}, read_only=False)
                call("lambda.amazonaws.com", "GetFunction20150331v2", {"functionName": function_arn})


TERRAFORM_READS = (
    # (source, name, count, scope) scope: "region" runs once per region, "global" once per plan
    ("sts.amazonaws.com", "GetCallerIdentity", 1, "region"),
    ("ec2.amazonaws.com", "DescribeVpcs", 2, "region"),
    ("ec2.amazonaws.com", "DescribeSubnets", 3, "region"),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", 4, "region"),
    ("ec2.amazonaws.com", "DescribeRouteTables", 2, "region"),
    ("ec2.amazonaws.com", "DescribeNetworkAcls", 1, "region"),
    ("ec2.amazonaws.com", "DescribeInstances", 2, "region"),
    ("ec2.amazonaws.com", "DescribeInstanceAttribute", 2, "region"),
    ("ec2.amazonaws.com", "DescribeAvailabilityZones", 1, "region"),
    ("kms.amazonaws.com", "DescribeKey", 2, "region"),
    ("kms.amazonaws.com", "GetKeyPolicy", 1, "region"),
    ("iam.amazonaws.com", "GetRole", 6, "global"),
    ("iam.amazonaws.com", "ListRolePolicies", 6, "global"),
    ("iam.amazonaws.com", "ListAttachedRolePolicies", 6, "global"),
    ("iam.amazonaws.com", "GetPolicy", 3, "global"),
    ("iam.amazonaws.com", "GetPolicyVersion", 3, "global"),
    ("iam.amazonaws.com", "GetOpenIDConnectProvider", 1, "global"),
    ("s3.amazonaws.com", "GetBucketPolicy", 3, "global"),
    ("s3.amazonaws.com", "GetBucketVersioning", 3, "global"),
    ("s3.amazonaws.com", "GetBucketEncryption", 3, "global"),
    ("s3.amazonaws.com", "GetBucketAcl", 3, "global"),
    ("cloudtrail.amazonaws.com", "DescribeTrails", 1, "global"),
    ("cloudtrail.amazonaws.com", "GetTrailStatus", 1, "global"),
    ("cloudtrail.amazonaws.com", "GetEventSelectors", 1, "global"),
)
TERRAFORM_BUCKETS = {
    PROD: (("acme-web-assets", "us-east-1"), (ARTIFACT_BUCKET, "us-east-1"), ("acme-eu-api-cache", "eu-west-1")),
    SECOND: ((FINANCE_BUCKET, FINANCE_REGION), ("acme-dr-replica", "us-west-2"), ("acme-finance-artifacts", "us-east-1")),
}
TERRAFORM_ROLES = ("web-app", "eu-api", "batch-worker", "GitHubActionsDeploy", "finance-etl", "dr-sync")


def terraform_params(source: str, name: str, account: str, region: str, index: int) -> tuple[dict | None, str]:
    """Request parameters for a Terraform refresh call, and the region it lands in."""
    if source == "iam.amazonaws.com":
        role = TERRAFORM_ROLES[index % len(TERRAFORM_ROLES)]
        if name == "GetOpenIDConnectProvider":
            return {"openIDConnectProviderArn": f"arn:aws:iam::{account}:oidc-provider/{GHA_OIDC}"}, "us-east-1"
        if name in ("GetPolicy", "GetPolicyVersion"):
            params = {"policyArn": f"arn:aws:iam::{account}:policy/{role}-access"}
            if name == "GetPolicyVersion":
                params["versionId"] = f"v{index + 2}"
            return params, "us-east-1"
        return {"roleName": role}, "us-east-1"
    if source == "s3.amazonaws.com":
        bucket, bucket_region = TERRAFORM_BUCKETS[account][index % 3]
        sub = {"GetBucketPolicy": "policy", "GetBucketVersioning": "versioning",
               "GetBucketEncryption": "encryption", "GetBucketAcl": "acl"}[name]
        return {"bucketName": bucket, "Host": f"{bucket}.s3.{bucket_region}.amazonaws.com", sub: ""}, bucket_region
    if source == "cloudtrail.amazonaws.com":
        trail = f"arn:aws:cloudtrail:us-east-1:{account}:trail/{TRAIL_NAME}"
        return ({"trailNameList": [trail], "includeShadowTrails": False} if name == "DescribeTrails"
                else {"name": trail}), "us-east-1"
    if source == "kms.amazonaws.com":
        key = f"arn:aws:kms:{region}:{account}:key/{stable_uuid(f'{account}/{region}/kms/{index}')}"
        return ({"keyId": key, "policyName": "default"} if name == "GetKeyPolicy" else {"keyId": key}), region
    if name == "DescribeInstanceAttribute":
        return {"instanceId": f"i-0{stable_hex(f'{account}/{region}/{index}', 16)}",
                "attribute": "disableApiTermination"}, region
    if name in ("DescribeSecurityGroups", "DescribeSubnets", "DescribeRouteTables", "DescribeNetworkAcls"):
        vpc = f"vpc-0{stable_hex(f'{account}/{region}/vpc', 16)}"
        return {"filterSet": {"items": [{"name": "vpc-id", "valueSet": {"items": [{"value": vpc}]}}]}}, region
    if source == "sts.amazonaws.com":
        return None, region
    return {"filterSet": {}}, region


def stable_uuid(name: str) -> str:
    return str(uuid.UUID(hashlib.sha256(name.encode()).hexdigest()[:32], version=4))


def noise_terraform(b: Builder) -> None:
    """Nightly and on-merge `terraform plan`: a burst of read-only Describe/Get/List in every region."""
    rng = b.rng
    runs = {PROD: (2, 3), SECOND: (1, 2)}
    for day in (17, 18, 19, 20):
        for account, (low, high) in runs.items():
            for _ in range(rng.randint(low, high)):
                start = b.between(utc(day, 6), utc(day, 22))
                ip = rng.choice(GITHUB_RUNNER_IPS)
                identity, t = gha_assume(b, account, "GitHubActionsTerraform", "acme/infrastructure", start, ip)
                regions = list(REGIONS) if account == PROD else ["us-east-1", FINANCE_REGION, "us-west-2"]
                for source, name, count, scope in TERRAFORM_READS:
                    for region in (regions if scope == "region" else ["us-east-1"]):
                        for index in range(count):
                            params, where = terraform_params(source, name, account, region, index)
                            t += timedelta(milliseconds=rng.randint(150, 2500))
                            resources = None
                            if source == "s3.amazonaws.com":
                                resources = [{"accountId": account, "type": "AWS::S3::Bucket",
                                              "ARN": f"arn:aws:s3:::{params['bucketName']}"}]
                            b.event(when=t.replace(microsecond=0), account=account, region=where,
                                    source=source, name=name, identity=identity, ip=ip,
                                    ua=TERRAFORM_UA.format(api=f"{source.split('.')[0]}#1.{rng.randint(40, 190)}.0"),
                                    params=params, resources=resources)


def slots(b: Builder, account: str, region: str, every_hours: int) -> list[datetime]:
    """One burst time per period over the whole dataset window (cron-like jobs drift a little).
    Jobs in the same account/region share their slots, the way scheduled work piles up on the
    hour; that also keeps the number of delivered files (and the dataset size) down."""
    key = (account, region, every_hours)
    if key not in b.slot_cache:
        times = []
        t = DATA_START
        while t < DATA_END:
            times.append(b.between(t, t + timedelta(hours=every_hours) - timedelta(minutes=20)))
            t += timedelta(hours=every_hours)
        b.slot_cache[key] = times
    return b.slot_cache[key]


def noise_apps(b: Builder) -> None:
    """Workload roles: instance-profile refresh by EC2, S3 reads (data events), a secret, KMS."""
    rng = b.rng
    for app in APPS:
        instances = app.instance_ids() or [None]
        for when in slots(b, app.account, app.region, app.every_hours):
            instance = rng.choice(instances)
            session = instance or f"{app.role}-{rng.randint(1000, 9999)}"
            key = b.temp_key()
            role_arn = f"arn:aws:iam::{app.account}:role/{app.role}"
            role_id = stable_id("AROA", f"{app.account}/{app.role}")
            invoker = "ec2.amazonaws.com" if instance else "lambda.amazonaws.com"
            # The service fetches role credentials for the workload (sts:AssumeRole as AWSService).
            b.event(when=when, account=app.account, region=app.region, source="sts.amazonaws.com",
                    name="AssumeRole", identity=service_identity(invoker), ip=invoker, ua=invoker,
                    params={"roleArn": role_arn, "roleSessionName": session},
                    response={"credentials": {"accessKeyId": key, "sessionToken": b.session_token(48),
                                              "expiration": aws_console_date(when + timedelta(hours=6), True)}},
                    resources=[{"accountId": app.account, "type": "AWS::IAM::Role", "ARN": role_arn}],
                    shared_event_id=b.uuid())
            identity = assumed_role_identity(app.account, app.role, session, key, when, ec2_instance=bool(instance))
            # EC2 workloads reach AWS through VPC endpoints (private IPs); Lambda egresses publicly.
            ip = f"{app.subnet}.{rng.randint(10, 250)}" if instance else rng.choice(("3.24.91.17", "13.210.4.66"))
            ua = APP_UA[app.role]
            t = when + timedelta(seconds=rng.randint(2, 20))
            b.event(when=t, account=app.account, region=app.region, source="secretsmanager.amazonaws.com",
                    name="GetSecretValue", identity=identity, ip=ip, ua=ua,
                    params={"secretId": app.secret})
            b.event(when=t + timedelta(seconds=1), account=app.account, region=app.region,
                    source="kms.amazonaws.com", name="Decrypt",
                    identity={**identity, "invokedBy": "secretsmanager.amazonaws.com"},
                    ip="secretsmanager.amazonaws.com", ua="secretsmanager.amazonaws.com",
                    params={"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                            "encryptionContext": {"SecretARN": f"arn:aws:secretsmanager:{app.region}:{app.account}:secret:{app.secret}-{stable_hex(app.secret, 6)}",
                                                  "SecretVersionId": stable_uuid(app.secret)}},
                    resources=[{"accountId": app.account, "type": "AWS::KMS::Key",
                                "ARN": f"arn:aws:kms:{app.region}:{app.account}:key/{stable_uuid(app.account + app.region)}"}])
            for _ in range(rng.randint(*app.reads)):
                t += timedelta(seconds=rng.randint(1, 30))
                prefix = rng.choice(app.prefixes)
                key_name = f"{prefix}{stable_hex(prefix + str(rng.randint(1, 400)), 10)}.{rng.choice(('json', 'csv', 'gz', 'parquet'))}"
                b.s3_object_event(when=t, account=app.account, region=app.region, bucket=app.bucket, key=key_name,
                                  name="GetObject", identity=identity, ip=ip, ua=ua, read_only=True,
                                  bytes_out=rng.randint(300, 4_000_000),
                                  vpce=f"vpce-0{stable_hex(app.account + app.region, 16)}" if instance else None)
            if app.role in ("finance-etl", "batch-worker") and rng.random() < 0.6:
                t += timedelta(seconds=rng.randint(5, 60))
                out_key = f"exports/2026/11/{when:%d}/{stable_hex(str(t), 8)}.parquet"
                b.s3_object_event(when=t, account=app.account, region=app.region, bucket=app.bucket, key=out_key,
                                  name="PutObject", identity=identity, ip=ip, ua=ua, read_only=False,
                                  bytes_in=rng.randint(50_000, 9_000_000))


def noise_services(b: Builder) -> None:
    """AWS acting on its own: CloudTrail encrypting log files with KMS, Auto Scaling and Lambda
    assuming their roles. These are AWSService identities with the service as source IP."""
    rng = b.rng
    plan = ((PROD, "us-east-1", 1), (SECOND, "us-east-1", 2), (PROD, "us-west-2", 3), (SECOND, FINANCE_REGION, 2),
            (PROD, "eu-west-1", 2), (PROD, "ap-southeast-2", 6), (SECOND, "us-west-2", 6), (SECOND, "ap-southeast-2", 12))
    for account, region, every in plan:
        trail = f"arn:aws:cloudtrail:us-east-1:{account}:trail/{TRAIL_NAME}"
        kms_key = f"arn:aws:kms:us-east-1:{account}:key/{stable_uuid(account + 'trail')}"
        for when in slots(b, account, region, every):
            # The trail's KMS key lives in its home region, so only us-east-1 sees GenerateDataKey.
            for _ in range(rng.randint(1, 3) if region == "us-east-1" else 0):
                t = when + timedelta(seconds=rng.randint(0, 240))
                b.event(when=t, account=account, region=region, source="kms.amazonaws.com", name="GenerateDataKey",
                        identity=service_identity("cloudtrail.amazonaws.com"), ip="cloudtrail.amazonaws.com",
                        ua="cloudtrail.amazonaws.com",
                        params={"keyId": kms_key, "keySpec": "AES_256",
                                "encryptionContext": {"aws:cloudtrail:arn": trail,
                                                      "aws:s3:arn": f"arn:aws:s3:::{LOG_BUCKET}/AWSLogs/{account}/CloudTrail/{region}/{t:%Y/%m/%d}/{account}_CloudTrail_{region}_{t:%Y%m%dT%H%M}Z_{b.token(16)}.json.gz"}},
                        resources=[{"accountId": account, "type": "AWS::KMS::Key", "ARN": kms_key}])
            if rng.random() < (0.5 if region == "us-east-1" else 0.8):
                t = when + timedelta(seconds=rng.randint(0, 300))
                role = "aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
                role_arn = f"arn:aws:iam::{account}:role/{role}"
                b.event(when=t, account=account, region=region, source="sts.amazonaws.com", name="AssumeRole",
                        identity=service_identity("autoscaling.amazonaws.com"), ip="autoscaling.amazonaws.com",
                        ua="autoscaling.amazonaws.com",
                        params={"roleArn": role_arn, "roleSessionName": "AutoScaling"},
                        response={"credentials": {"accessKeyId": b.temp_key(), "sessionToken": b.session_token(48),
                                                  "expiration": aws_console_date(t + timedelta(hours=1), True)}},
                        resources=[{"accountId": account, "type": "AWS::IAM::Role", "ARN": role_arn}],
                        shared_event_id=b.uuid())
                autoscaling = assumed_role_identity(account, "AWSServiceRoleForAutoScaling", "AutoScaling",
                                                    b.temp_key(), t, role_path="/aws-service-role/autoscaling.amazonaws.com/",
                                                    invoked_by="autoscaling.amazonaws.com")
                b.event(when=t + timedelta(seconds=3), account=account, region=region, source="ec2.amazonaws.com",
                        name="DescribeInstanceStatus", identity=autoscaling, ip="autoscaling.amazonaws.com",
                        ua="autoscaling.amazonaws.com", params={"includeAllInstances": True, "filterSet": {}})


def noise_benign_errors(b: Builder) -> None:
    """Ordinary failures by ordinary people and jobs, so errors are not the attacker's alone."""
    alice, bob, carol, dave, erin = HUMANS
    browser = BROWSERS[1]

    def console_call(user: Human, when: datetime, region, source, name, params, error, ip=None):
        key = b.temp_key()
        b.event(when=when, account=user.account, region=region_for(source, region), source=source, name=name,
                identity=iam_user_identity(user.account, user.name, user.principal_id, key,
                                           console_since=when - timedelta(minutes=23)),
                ip=ip or user.ips[0], ua="console.amazonaws.com", params=params, error=error,
                read_only=name.startswith(("Get", "List", "Describe")), console=True)

    console_call(bob, utc(17, 15, 42, 17), "us-east-1", "iam.amazonaws.com", "CreateUser", {"userName": "bob-test"},
                 ("AccessDenied", not_authorized(bob.arn, "iam:CreateUser", f"arn:aws:iam::{PROD}:user/bob-test")))
    console_call(bob, utc(18, 19, 3, 48), "us-west-2", "ec2.amazonaws.com", "TerminateInstances",
                 {"instancesSet": {"items": [{"instanceId": f"i-0{stable_hex('prod-batch', 16)}"}]}},
                 ("Client.UnauthorizedOperation",
                  ec2_unauthorized(bob.arn, "ec2:TerminateInstances", b.token(180, ALNUM + "-_"))))
    console_call(alice, utc(19, 17, 20, 2), "us-east-1", "s3.amazonaws.com", "PutBucketPolicy",
                 {"bucketName": "acme-web-assets", "Host": "acme-web-assets.s3.us-east-1.amazonaws.com", "policy": ""},
                 ("AccessDenied", "Access Denied"))
    console_call(carol, utc(20, 9, 14, 51), "eu-west-1", "kms.amazonaws.com", "ScheduleKeyDeletion",
                 {"keyId": f"arn:aws:kms:eu-west-1:{PROD}:key/{stable_uuid('old-key')}", "pendingWindowInDays": 30},
                 ("AccessDeniedException", not_authorized(carol.arn, "kms:ScheduleKeyDeletion",
                                                          f"arn:aws:kms:eu-west-1:{PROD}:key/{stable_uuid('old-key')}")))
    console_call(dave, utc(18, 10, 2, 33), "us-east-1", "iam.amazonaws.com", "ListAttachedUserPolicies",
                 {"userName": "erin"},
                 ("AccessDenied", not_authorized(dave.arn, "iam:ListAttachedUserPolicies", f"arn:aws:iam::{SECOND}:user/erin")))
    console_call(dave, utc(20, 14, 20, 9), FINANCE_REGION, "secretsmanager.amazonaws.com", "GetSecretValue",
                 {"secretId": "finance/etl/warehouse"},
                 ("AccessDeniedException", not_authorized(dave.arn, "secretsmanager:GetSecretValue",
                                                          f"arn:aws:secretsmanager:{FINANCE_REGION}:{SECOND}:secret:finance/etl/warehouse-{stable_hex('finance/etl/warehouse', 6)}")))
    # erin mistypes her password once, then signs in.
    console_sign_in(b, erin, utc(18, 13, 5, 12), erin.ips[0], browser, success=False)
    console_sign_in(b, erin, utc(18, 13, 5, 58), erin.ips[0], browser, success=True)

    # A web-app instance asks for an object outside its prefix.
    web = APPS[0]
    instance = web.instance_ids()[1]
    identity = assumed_role_identity(PROD, web.role, instance, b.temp_key(), utc(17, 10, 0, 4), ec2_instance=True)
    b.s3_object_event(when=utc(17, 10, 12, 40), account=PROD, region=web.region, bucket=web.bucket,
                      key="private/config/feature-flags.json", name="GetObject", identity=identity,
                      ip=f"{web.subnet}.31", ua=APP_UA[web.role], read_only=True,
                      error=("AccessDenied", "Access Denied"),
                      vpce=f"vpce-0{stable_hex(PROD + web.region, 16)}")
    # A Lambda without ec2:DescribeInstances in its policy.
    lam = assumed_role_identity(PROD, "inventory-lambda", "inventory-lambda", b.temp_key(), utc(19, 11, 0, 0))
    lam_arn = f"arn:aws:sts::{PROD}:assumed-role/inventory-lambda/inventory-lambda"
    b.event(when=utc(19, 11, 0, 7), account=PROD, region="ap-southeast-2", source="ec2.amazonaws.com",
            name="DescribeInstances", identity=lam, ip="13.210.4.66",
            ua="Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.227 md/arch#x86_64 lang/python#3.12.5 exec-env/AWS_Lambda_python3.12",
            params={"instancesSet": {}, "filterSet": {}},
            error=("Client.UnauthorizedOperation", ec2_unauthorized(lam_arn, "ec2:DescribeInstances")))
    # Terraform refreshing a role that someone deleted by hand.
    tf = assumed_role_identity(PROD, "GitHubActionsTerraform", "run-8812770134", b.temp_key(), utc(20, 16, 30, 0),
                               web_identity_provider=f"arn:aws:iam::{PROD}:oidc-provider/{GHA_OIDC}")
    b.event(when=utc(20, 16, 30, 22), account=PROD, region="us-east-1", source="iam.amazonaws.com", name="GetRole",
            identity=tf, ip=GITHUB_RUNNER_IPS[2], ua=TERRAFORM_UA.format(api="iam#1.38.1"),
            params={"roleName": "legacy-reporting"},
            error=("NoSuchEntityException", "The role with name legacy-reporting cannot be found."))


def noise_trail_restart(b: Builder) -> None:
    """On-call (carol, through a response role) restarts the stopped trail. Her look-around before
    it happened while the trail was off, so StartLogging is the first thing the trail records."""
    carol = HUMANS[2]
    identity = assumed_role_identity(SECOND, "SecurityIncidentResponse", "carol", b.temp_key(), utc(19, 7, 58, 40))
    identity["sessionContext"]["attributes"]["mfaAuthenticated"] = "true"
    b.event(when=RESTART_LOGGING_AT, account=SECOND, region="us-east-1", source="cloudtrail.amazonaws.com",
            name="StartLogging", identity=identity, ip=carol.ips[0], ua="console.amazonaws.com",
            params={"name": TRAIL_ARN_SECOND}, read_only=False, console=True,
            resources=[{"accountId": SECOND, "type": "AWS::CloudTrail::Trail", "ARN": TRAIL_ARN_SECOND}])


# --------------------------------------------------------------------------------------------
# Delivery: files, digests, writing
# --------------------------------------------------------------------------------------------

def trail_was_logging(record: dict) -> bool:
    """Management events in SECOND between StopLogging and the restart were never delivered."""
    if record["recipientAccountId"] != SECOND or not record["managementEvent"]:
        return True
    t = record["eventTime"]
    return not (iso(STOP_LOGGING_AT) < t < iso(RESTART_LOGGING_AT))  # both ends are logged


@dataclass
class LogFile:
    account: str
    region: str
    delivered: datetime
    suffix: str
    records: list[dict] = field(default_factory=list)

    @property
    def key(self) -> str:
        d = self.delivered
        return (f"AWSLogs/{self.account}/CloudTrail/{self.region}/{d:%Y/%m/%d}/"
                f"{self.account}_CloudTrail_{self.region}_{d:%Y%m%dT%H%M}Z_{self.suffix}.json.gz")


def plan_log_files(b: Builder, records: list[dict]) -> list[LogFile]:
    """Cut each account/region stream into delivery windows of 5-15 minutes, like a trail does."""
    rng = b.rng
    streams: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        streams.setdefault((record["recipientAccountId"], record["awsRegion"]), []).append(record)

    files: list[LogFile] = []
    for account, region in sorted(streams):
        current: LogFile | None = None
        window_end = DATA_START
        for record in sorted(streams[(account, region)], key=lambda r: r["eventTime"]):
            t = parse(record["eventTime"])
            if current is None or t >= window_end:
                window_end = t + timedelta(minutes=rng.randint(5, 15))
                delivered = window_end + timedelta(seconds=rng.randint(30, 300))
                current = LogFile(account, region, delivered, b.token(16))
                files.append(current)
            current.records.append(record)
    for log_file in files:
        roughly_ordered(rng, log_file.records)
    return files


def roughly_ordered(rng: random.Random, records: list[dict]) -> None:
    """Real log files are only roughly chronological: let neighbours within ~45 s swap places,
    so readers cannot rely on file order."""
    jitter = [rng.uniform(0, 45) for _ in records]
    keyed = sorted(zip(records, jitter), key=lambda pair: parse(pair[0]["eventTime"]).timestamp() + pair[1])
    records[:] = [record for record, _ in keyed]


def dumps(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def write_gz(path: Path, payload: bytes) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = gzip.compress(payload, compresslevel=9, mtime=0)  # mtime=0: reproducible bytes
    path.write_bytes(data)
    return len(data)


def write_digests(b: Builder, files: list[LogFile], bodies: dict[str, bytes]) -> list[tuple[str, bytes]]:
    """Two consecutive hourly digests for PROD/us-east-1 around the incident. They carry no
    Records; readers should skip them. Hashes are SHA-256 of the uncompressed log files."""
    account, region = PROD, "us-east-1"
    fingerprint = stable_hex("digest-public-key", 32)
    out = []
    previous: tuple[str, bytes] | None = None
    for start in (utc(19, 2), utc(19, 3)):
        end = start + timedelta(hours=1)
        listed = [f for f in files if f.account == account and f.region == region and start <= f.delivered < end]
        log_entries = []
        for f in listed:
            times = sorted(r["eventTime"] for r in f.records)
            log_entries.append({"s3Bucket": LOG_BUCKET, "s3Object": f.key,
                                "hashValue": hashlib.sha256(bodies[f.key]).hexdigest(), "hashAlgorithm": "SHA-256",
                                "newestEventTime": times[-1], "oldestEventTime": times[0]})
        all_times = sorted(t for e in log_entries for t in (e["oldestEventTime"], e["newestEventTime"]))
        key = (f"AWSLogs/{account}/CloudTrail-Digest/{region}/{end:%Y/%m/%d}/"
               f"{account}_CloudTrail-Digest_{region}_{TRAIL_NAME}_{region}_{end:%Y%m%dT%H%M}Z.json.gz")
        if previous is None:
            prev_key = (f"AWSLogs/{account}/CloudTrail-Digest/{region}/{start:%Y/%m/%d}/"
                        f"{account}_CloudTrail-Digest_{region}_{TRAIL_NAME}_{region}_{start:%Y%m%dT%H%M}Z.json.gz")
            prev_hash = stable_hex("digest-before-window", 64)
        else:
            prev_key, prev_hash = previous[0], hashlib.sha256(previous[1]).hexdigest()
        digest = {
            "awsAccountId": account,
            "digestStartTime": iso(start),
            "digestEndTime": iso(end),
            "digestS3Bucket": LOG_BUCKET,
            "digestS3Object": key,
            "digestPublicKeyFingerprint": fingerprint,
            "digestSignatureAlgorithm": "SHA256withRSA",
            "newestEventTime": all_times[-1] if all_times else None,
            "oldestEventTime": all_times[0] if all_times else None,
            "previousDigestS3Bucket": LOG_BUCKET,
            "previousDigestS3Object": prev_key,
            "previousDigestHashValue": prev_hash,
            "previousDigestHashAlgorithm": "SHA-256",
            "previousDigestSignature": b.token(512, "0123456789abcdef"),
            "logFiles": log_entries,
        }
        body = dumps(digest)
        out.append((key, body))
        previous = (key, body)
    return out


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def build_records(b: Builder) -> list[dict]:
    """The story first (fixed times), then the noise, all from the one RNG in a fixed order."""
    story_baseline(b)
    story_probe(b)
    story_recon(b)
    story_assume_role(b)
    story_second_account(b)
    story_exfiltration(b)
    noise_console_users(b)
    noise_root_login(b)
    noise_github_deploys(b)
    noise_terraform(b)
    noise_apps(b)
    noise_services(b)
    noise_benign_errors(b)
    noise_trail_restart(b)

    records = [r for r in b.records if DATA_START <= parse(r["eventTime"]) <= DATA_END]
    kept = [r for r in records if trail_was_logging(r)]
    lost_story = [r for r in records if not trail_was_logging(r) and r["eventID"] in b.step_of]
    assert not lost_story, "a story event fell into the StopLogging gap"
    check_invariants(b, kept)
    return kept


def parse(t: str) -> datetime:
    return datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def check_invariants(b: Builder, records: list[dict]) -> None:
    ids = [r["eventID"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate eventID"
    for r in records:
        for name in ("eventTime", "eventName", "eventSource", "awsRegion", "recipientAccountId", "eventID"):
            assert r.get(name), (name, r)
        assert r["userIdentity"].get("type"), r
        assert r["awsRegion"] in REGIONS, r["awsRegion"]
        if r["eventID"] not in b.step_of:  # benign principals stay away from the attacker's IP and keys
            assert r["sourceIPAddress"] != ATTACKER_IP, r
            assert r["userIdentity"].get("accessKeyId") not in STORY_KEYS, r
            text = json.dumps(r)
            assert all(k not in text for k in STORY_KEYS), r


def main() -> None:
    rng = random.Random(SEED)
    library = TemplateLibrary(load_templates())
    b = Builder(rng, library)
    records = build_records(b)

    files = plan_log_files(b, records)
    if OUT_DIR.exists():
        shutil.rmtree(OUT_DIR)
    total_bytes = 0
    bodies: dict[str, bytes] = {}
    for f in files:
        bodies[f.key] = dumps({"Records": f.records})
        total_bytes += write_gz(DEMO_DIR / f.key, bodies[f.key])
    digests = write_digests(b, files, bodies)
    for key, body in digests:
        total_bytes += write_gz(DEMO_DIR / key, body)

    print_summary(b, records, files, digests, total_bytes)


def print_summary(b: Builder, records, files, digests, total_bytes) -> None:
    steps: dict[str, int] = {}
    for r in records:
        step = b.step_of.get(r["eventID"])
        if step:
            steps[step] = steps.get(step, 0) + 1
    print("Story events per step:")
    for step, label in STEP_LABELS.items():
        print(f"  {label}: {steps.get(step, 0)}")
    print(f"  attack total (steps 1-5): {sum(v for k, v in steps.items() if k != 'baseline')}")
    print("Attacker chain:")
    print(f"  sourceIPAddress {ATTACKER_IP}: {sum(r['sourceIPAddress'] == ATTACKER_IP for r in records)}")
    for key in STORY_KEYS:
        print(f"  userIdentity.accessKeyId {key}: {sum(r['userIdentity'].get('accessKeyId') == key for r in records)}")
    for name in ("GetObject", "DeleteObject"):
        count = sum(r["eventName"] == name and (r["requestParameters"] or {}).get("bucketName") == FINANCE_BUCKET
                    and r["userIdentity"].get("accessKeyId") == BACKDOOR_KEY for r in records)
        print(f"  {name} on {FINANCE_BUCKET} with {BACKDOOR_KEY}: {count}")
    errors = [r for r in records if "errorCode" in r]
    print(f"  events with errorCode: {len(errors)} ({sum(r['eventID'] in b.step_of for r in errors)} attacker)")
    print("Templates used per step:")
    for step, label in STEP_LABELS.items():
        print(f"  {label}")
        for name, origin in b.step_templates.get(step, []):
            print(f"    {name} <- {origin}")
    print(f"Log files: {len(files)}  digest files: {len(digests)}  total files: {len(files) + len(digests)}")
    print(f"Events: {len(records)}")
    print(f"Bytes (gzip, all files): {total_bytes}")


if __name__ == "__main__":
    main()
