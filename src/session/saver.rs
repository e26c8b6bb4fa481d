//! The database off the UI thread: a thread owns the connection, writes each save in one
//! transaction and reads the list of investigations; answers come back on a channel.
//! Compressing a large first save takes seconds, and the table must keep scrolling meanwhile.

use super::db::Db;
use super::messages::{SaveJob, Saved, Summary};
use std::sync::mpsc;
use std::thread::JoinHandle;

enum Request {
    Save(SaveJob),
    List,
}

/// What the thread answers.
#[derive(Debug)]
pub enum Reply {
    Saved(Saved),
    Sessions(Result<Vec<Summary>, String>),
}

pub struct Saver {
    requests: Option<mpsc::Sender<Request>>,
    thread: Option<JoinHandle<()>>,
}

impl Saver {
    pub fn start(mut db: Db, replies: tokio::sync::mpsc::UnboundedSender<Reply>) -> Saver {
        let (requests, queue) = mpsc::channel::<Request>();
        let thread = std::thread::Builder::new()
            .name("saver".into())
            .spawn(move || {
                for request in queue {
                    let reply = match request {
                        Request::Save(job) => Reply::Saved(Saved {
                            result: db.save(&job),
                            name: job.name,
                        }),
                        Request::List => Reply::Sessions(db.list()),
                    };
                    let _ = replies.send(reply);
                }
            })
            .ok();
        Saver {
            requests: thread.as_ref().map(|_| requests),
            thread,
        }
    }

    /// Queues a save; false when the thread is gone.
    pub fn save(&self, job: SaveJob) -> bool {
        self.send(Request::Save(job))
    }

    /// Asks for the list of investigations.
    pub fn list(&self) -> bool {
        self.send(Request::List)
    }

    fn send(&self, request: Request) -> bool {
        self.requests
            .as_ref()
            .is_some_and(|r| r.send(request).is_ok())
    }

    /// Waits for queued saves to be written (at exit).
    pub fn finish(mut self) {
        self.requests = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
