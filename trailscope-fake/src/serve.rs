//! The fake endpoint on the network: HTTP/1.1 on a loopback address (hyper), each POST handed
//! to `FakeCloudTrail::handle` (which routes CloudTrail, STS and Organizations calls). Only loopback: this exists for tests and benchmarks.

use super::faults::Fault;
use super::reply::JSON;
use super::FakeCloudTrail;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body, Bytes, Frame, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::net::TcpListener;

/// Requests larger than this are refused (a LookupEvents body is a few hundred bytes).
const MAX_BODY: usize = 1 << 20;

/// What the endpoint answers from, shared by all connections.
pub struct Shared {
    pub fake: Mutex<FakeCloudTrail>,
    /// Wall-clock "now" for the 90-day window; `None` uses the real clock.
    pub now_ms: Option<i64>,
    started: Instant,
}

impl Shared {
    pub fn new(fake: FakeCloudTrail, now_ms: Option<i64>) -> Arc<Shared> {
        Arc::new(Shared {
            fake: Mutex::new(fake),
            now_ms,
            started: Instant::now(),
        })
    }
}

/// Binds `127.0.0.1:port` (0: any free port) and returns the address and the listener.
pub async fn bind(port: u16) -> std::io::Result<(SocketAddr, TcpListener)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    Ok((listener.local_addr()?, listener))
}

/// Serves until the task is dropped.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(req, shared.clone()));
            // A client hanging up mid-request is its business, not an error of the fake.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

type Answer = Response<BoxBody<Bytes, std::io::Error>>;

async fn answer(
    req: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Answer, std::convert::Infallible> {
    // Athena's REST routes (the aws CLI's) are read into the operation they name, below.
    let rest_route = req.method() != Method::POST || req.uri().path() != "/";
    let (method, path, query) = (
        req.method().as_str().to_string(),
        req.uri().path().to_string(),
        req.uri().query().map(str::to_string),
    );
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (target, auth, date) = (
        header("x-amz-target"),
        header("authorization"),
        header("x-amz-date"),
    );
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(reply(413, JSON, "SerializationException", r#"{"__type":"SerializationException","message":"request body unreadable or too large"}"#.into()))
        }
    };
    let (target, body) = match rest_route {
        false => (target, body),
        true => match super::athena::rest::route(&method, &path, query.as_deref(), &body) {
            Some((op, json)) => (Some(format!("AmazonAthena.{op}")), Bytes::from(json)),
            None => {
                return Ok(reply(
                    404,
                    JSON,
                    "UnknownOperationException",
                    r#"{"__type":"UnknownOperationException","message":"POST / only (and Athena's REST routes)"}"#.into(),
                ))
            }
        },
    };
    let now_ms = shared.now_ms.unwrap_or_else(|| {
        trailscope::model::time::EventTime::now()
            .millis()
            .unwrap_or(0)
    });
    let clock_ms = shared.started.elapsed().as_millis() as u64;
    let answer = match shared.fake.lock() {
        Ok(mut fake) => fake.handle(
            target.as_deref(),
            auth.as_deref(),
            date.as_deref(),
            &body,
            now_ms,
            clock_ms,
        ),
        Err(_) => super::Reply::ok(
            500,
            r#"{"__type":"InternalFailure","message":"fake endpoint state poisoned"}"#.into(),
        ),
    };
    let kind = answer.json_error_type().unwrap_or_default();
    let content_type = answer.content_type;
    match answer.transport {
        Some(Fault::Stall(pause)) => tokio::time::sleep(pause).await,
        Some(Fault::ResetMidBody) => {
            let mut response = reply(answer.status, content_type, &kind, String::new());
            let whole = Bytes::from(answer.body);
            let half = whole.slice(..whole.len() / 2);
            *response.body_mut() = CutBody(Some(half)).boxed();
            // The length of the whole body is promised; half arrives, then the connection dies.
            response.headers_mut().insert(
                hyper::header::CONTENT_LENGTH,
                hyper::header::HeaderValue::from(whole.len()),
            );
            return Ok(response);
        }
        _ => {}
    }
    Ok(reply(answer.status, content_type, &kind, answer.body))
}

/// A body that sends its one chunk and then fails, which makes hyper drop the connection in
/// the middle of a response whose length was promised.
struct CutBody(Option<Bytes>);

impl Body for CutBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        std::task::Poll::Ready(Some(match self.0.take() {
            Some(chunk) => Ok(Frame::data(chunk)),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "injected fault: connection reset mid-body",
            )),
        }))
    }
}

/// An answer with `content_type` (awsJson or XML); `error_type` goes in `x-amzn-errortype`,
/// where awsJson clients look first.
fn reply(status: u16, content_type: &str, error_type: &str, body: String) -> Answer {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", content_type)
        .header("x-amzn-requestid", "00000000-0000-4000-8000-000000000000");
    if !error_type.is_empty() {
        builder = builder.header("x-amzn-errortype", error_type);
    }
    let full = |b: Bytes| Full::new(b).map_err(|never| match never {}).boxed();
    builder
        .body(full(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(full(Bytes::new())))
}
