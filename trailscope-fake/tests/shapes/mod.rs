//! Whether a JSON answer is a value of a shape of an AWS service model (botocore's
//! service-2.json): members, types, enums, lengths and ranges. Shared by the checks of the
//! fake's Lake and Athena against their models.

use serde_json::Value;

/// Whether `v` is a valid value of `shape`; the path of the first violation otherwise.
pub fn conforms(m: &Value, shape: &str, v: &Value, path: &str) -> Result<(), String> {
    let s = &m["shapes"][shape];
    let fail = |why: &str| Err(format!("{path}: {why} ({shape}: {v})"));
    let bounded = |n: f64| {
        s["min"].as_f64().is_none_or(|min| n >= min) && s["max"].as_f64().is_none_or(|max| n <= max)
    };
    match s["type"].as_str().unwrap_or("") {
        "structure" => {
            let Some(obj) = v.as_object() else {
                return fail("not an object");
            };
            for (k, x) in obj {
                let Some(member) = s["members"][k]["shape"].as_str() else {
                    return fail(&format!("{k} is not a member"));
                };
                conforms(m, member, x, &format!("{path}.{k}"))?;
            }
            for r in s["required"].as_array().into_iter().flatten() {
                if !obj.contains_key(r.as_str().unwrap_or("")) {
                    return fail(&format!("required {r} missing"));
                }
            }
            Ok(())
        }
        "list" => {
            let Some(list) = v.as_array() else {
                return fail("not a list");
            };
            if !bounded(list.len() as f64) {
                return fail("list length out of range");
            }
            let member = s["member"]["shape"].as_str().unwrap_or("");
            list.iter()
                .enumerate()
                .try_for_each(|(i, x)| conforms(m, member, x, &format!("{path}[{i}]")))
        }
        "map" => {
            let Some(obj) = v.as_object() else {
                return fail("not a map");
            };
            let value = s["value"]["shape"].as_str().unwrap_or("");
            obj.iter()
                .try_for_each(|(k, x)| conforms(m, value, x, &format!("{path}[{k}]")))
        }
        "string" => {
            let Some(text) = v.as_str() else {
                return fail("not a string");
            };
            if let Some(allowed) = s["enum"].as_array() {
                if !allowed.iter().any(|a| a == v) {
                    return fail("not one of the enum's values");
                }
            }
            if !bounded(text.chars().count() as f64) {
                return fail("length out of range");
            }
            Ok(())
        }
        "integer" | "long" => match v.as_i64() {
            Some(n) if bounded(n as f64) => Ok(()),
            _ => fail("not an integer in range"),
        },
        "boolean" if v.is_boolean() => Ok(()),
        "timestamp" if v.is_number() => Ok(()),
        other => fail(&format!("not a {other}")),
    }
}

/// The fake's answer to `op` (HTTP `status`, JSON `body`) checked against the model `m`: a
/// success is a value of the operation's output shape, a failure an HTTP 400 with an error
/// the operation declares and a message. Returns the body.
pub fn checked(m: &Value, op: &str, status: u16, body: &str) -> Value {
    let answer: Value = serde_json::from_str(body).expect("a JSON body");
    let operation = &m["operations"][op];
    if status == 200 {
        let output = operation["output"]["shape"]
            .as_str()
            .expect("an output shape");
        if let Err(why) = conforms(m, output, &answer, op) {
            panic!("{why}");
        }
    } else {
        assert_eq!(status, 400, "{op}: {answer}");
        let kind = answer["__type"].as_str().unwrap_or("");
        let declared = operation["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["shape"] == kind);
        assert!(
            declared,
            "{op} answered {kind}, which the model does not declare"
        );
        assert!(answer["message"].is_string(), "{answer}");
    }
    answer
}
