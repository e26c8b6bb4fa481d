//! A loopback HTTP proxy in front of moto that records every request trailscope sends and can
//! answer chosen ones the way AWS would and moto does not: AccessDenied on a bucket or a key,
//! a KMS denial, SlowDown, a bucket in another region. One request per connection: it closes
//! after each answer, which the SDK handles like any closed keep-alive connection.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// An answer given instead of moto's to requests whose path contains `path_has` (and, for
/// `list`, that list a bucket), at most `times` times (None: always).
#[derive(Clone)]
pub struct Fault {
    pub path_has: String,
    pub list: bool,
    pub times: Option<usize>,
    pub reply: Reply,
}

#[derive(Clone)]
pub enum Reply {
    AccessDenied,
    KmsDenied,
    SlowDown,
    /// 301 with `x-amz-bucket-region`, unless the request is signed for this region.
    Region(&'static str),
    /// moto's answer, this many milliseconds late (a slow link).
    Slow(u64),
}

#[derive(Default)]
pub struct Seen {
    /// "METHOD path?query", in arrival order.
    pub requests: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    pub max_in_flight_gets: AtomicUsize,
}

impl Seen {
    pub fn gets(&self) -> usize {
        self.requests
            .lock()
            .expect("lock")
            .iter()
            .filter(|r| is_object_get(r))
            .count()
    }
    pub fn lists(&self) -> usize {
        self.requests
            .lock()
            .expect("lock")
            .iter()
            .filter(|r| r.contains("list-type=2"))
            .count()
    }
    pub fn clear(&self) {
        self.requests.lock().expect("lock").clear();
    }
}

fn is_object_get(line: &str) -> bool {
    line.starts_with("GET ") && !line.contains("list-type=") && line.matches('/').count() > 2
}

pub struct Proxy {
    pub url: String,
    pub seen: Arc<Seen>,
}

pub fn start(upstream: u16, faults: Vec<Fault>) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let seen = Arc::new(Seen::default());
    let faults = Arc::new(Mutex::new(faults));
    let s = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let (s, f) = (s.clone(), faults.clone());
            std::thread::spawn(move || {
                let _ = serve(conn, upstream, &s, &f);
            });
        }
    });
    Proxy { url, seen }
}

fn serve(
    mut conn: TcpStream,
    upstream: u16,
    seen: &Seen,
    faults: &Mutex<Vec<Fault>>,
) -> std::io::Result<()> {
    let Some((head, body)) = read_request(&mut conn)? else {
        return Ok(());
    };
    let first = head.lines().next().unwrap_or("").to_string();
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let line = format!("{method} {target}");
    let get = is_object_get(&line);
    seen.requests.lock().expect("lock").push(line.clone());
    if get {
        let now = seen.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        seen.max_in_flight_gets.fetch_max(now, Ordering::SeqCst);
    }
    let answer = match fault_for(&line, &head, faults) {
        Some(Reply::Slow(ms)) => {
            std::thread::sleep(std::time::Duration::from_millis(ms));
            forward(upstream, &head, &body)?
        }
        Some(reply) => canned(&reply),
        None => forward(upstream, &head, &body)?,
    };
    let result = conn.write_all(&answer).and_then(|()| conn.flush());
    if get {
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
    result
}

fn fault_for(line: &str, head: &str, faults: &Mutex<Vec<Fault>>) -> Option<Reply> {
    let mut faults = faults.lock().expect("lock");
    for f in faults.iter_mut() {
        let list = line.contains("list-type=2");
        if !line.contains(&f.path_has) || f.list != list || f.times == Some(0) {
            continue;
        }
        if let Reply::Region(r) = &f.reply {
            // Signed for the right region: passes.
            if head.contains(&format!("/{r}/s3/aws4_request")) {
                return None;
            }
        }
        if let Some(t) = &mut f.times {
            *t -= 1;
        }
        return Some(f.reply.clone());
    }
    None
}

fn canned(reply: &Reply) -> Vec<u8> {
    let (status, code, message, extra) = match reply {
        Reply::AccessDenied => ("403 Forbidden", "AccessDenied", "Access Denied".to_string(), String::new()),
        Reply::KmsDenied => (
            "403 Forbidden",
            "AccessDenied",
            "User: arn:aws:iam::111122223333:user/responder is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:111122223333:key/1234abcd because no identity-based policy allows the kms:Decrypt action".to_string(),
            String::new(),
        ),
        Reply::SlowDown => ("503 Slow Down", "SlowDown", "Please reduce your request rate.".to_string(), String::new()),
        Reply::Slow(_) => ("500 Internal Server Error", "InternalError", String::new(), String::new()),
        Reply::Region(r) => (
            "301 Moved Permanently",
            "PermanentRedirect",
            "The bucket you are attempting to access must be addressed using the specified endpoint.".to_string(),
            format!("x-amz-bucket-region: {r}\r\n"),
        ),
    };
    let body = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>TESTREQUEST</RequestId><HostId>test</HostId></Error>");
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/xml\r\n{extra}x-amz-request-id: TESTREQUEST\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The request as it came, to moto on a new connection that closes after the answer.
fn forward(upstream: u16, head: &str, body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut up = TcpStream::connect(("127.0.0.1", upstream))?;
    let mut out = String::new();
    for (i, line) in head.split("\r\n").enumerate() {
        if i > 0 && line.to_ascii_lowercase().starts_with("connection:") {
            continue;
        }
        if line.is_empty() {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("connection: close\r\n\r\n");
    up.write_all(out.as_bytes())?;
    up.write_all(body)?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer)?;
    Ok(answer)
}

/// The head (up to the blank line) and the body (by content-length).
fn read_request(conn: &mut TcpStream) -> std::io::Result<Option<(String, Vec<u8>)>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(Some((head, body)))
}
