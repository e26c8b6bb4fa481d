//! The jobs the app has started and still listens to. Ids are allocated here (the pure app
//! decides what runs); a report from a job not listed is stale — replaced, or stopped with
//! its late pages unwanted — and is dropped by `update` in one place.

use crate::job::JobId;
use std::collections::BTreeMap;

/// What a job is for: where its reports go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// The session's files, folder, stdin or S3 trail.
    Load,
    /// One LookupEvents order for an account × region: (account label, region).
    Region((String, String)),
    /// A CloudTrail Lake query.
    LakeQuery,
    /// The Lake event data stores, for the picker.
    LakeStores,
    /// The session's Athena events query.
    AthenaQuery,
}

#[derive(Debug, Default)]
pub struct Jobs {
    next: u64,
    live: BTreeMap<JobId, Listening>,
}

#[derive(Debug)]
struct Listening {
    kind: JobKind,
    /// Asked to stop: its reports still count until its `Done`.
    stopping: bool,
}

impl Jobs {
    /// A new job of `kind`, listened to from now on.
    pub fn start(&mut self, kind: JobKind) -> JobId {
        self.next += 1;
        let id = JobId(self.next);
        self.live.insert(
            id,
            Listening {
                kind,
                stopping: false,
            },
        );
        id
    }

    /// What `id` is for, if its reports still count.
    pub fn kind(&self, id: JobId) -> Option<&JobKind> {
        self.live.get(&id).map(|l| &l.kind)
    }

    /// Asked to stop, but its last reports (and `Done`) are still wanted.
    pub fn stopping(&mut self, id: JobId) {
        if let Some(l) = self.live.get_mut(&id) {
            l.stopping = true;
        }
    }

    pub fn is_stopping(&self, id: JobId) -> bool {
        self.live.get(&id).is_some_and(|l| l.stopping)
    }

    /// No longer listened to: it ended, or whatever it still sends is stale.
    pub fn forget(&mut self, id: JobId) {
        self.live.remove(&id);
    }

    /// The running jobs of one kind.
    pub fn of(&self, wanted: impl Fn(&JobKind) -> bool) -> Vec<JobId> {
        self.live
            .iter()
            .filter(|(_, l)| wanted(&l.kind))
            .map(|(&id, _)| id)
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_never_reused_and_a_forgotten_job_is_not_listened_to() {
        let mut jobs = Jobs::default();
        let a = jobs.start(JobKind::Load);
        jobs.forget(a);
        let b = jobs.start(JobKind::Load);
        assert_ne!(a, b);
        assert_eq!(jobs.kind(a), None);
        assert_eq!(jobs.kind(b), Some(&JobKind::Load));
        jobs.stopping(b);
        assert!(
            jobs.is_stopping(b),
            "a stopping job still counts until its end"
        );
        assert_eq!(jobs.of(|k| *k == JobKind::Load), vec![b]);
    }
}
