//! A LookupEvents fetch saved with its investigation and restored when it is reopened, so `m`
//! continues each account × region from where it stopped. No page token is kept: tokens
//! expire and are bound to the call that made them, so a lane resumes by time instead (the
//! part of its window older than the oldest event it reached); the page at the boundary may
//! come again, and the store keeps each event once.

use super::fetch::{LiveFetch, RegionRun};
use crate::model::time::EventTime;
use crate::session::state::{SavedFetch, SavedLane};
use crate::source::lookup::plan::plan;
use crate::source::lookup::progress::{FetchState, RegionFetch};
use crate::source::lookup::scope::Clamped;

impl LiveFetch {
    /// What is worth keeping of this fetch: each lane's place, never credentials or tokens.
    pub fn saved(&self) -> SavedFetch {
        SavedFetch {
            filter: self.plan.local.to_string(),
            start_ms: self.start.millis().unwrap_or(0),
            end_ms: self.end.millis().unwrap_or(0),
            step: self.step,
            role: self.role.clone(),
            lanes: self.regions.iter().map(saved_lane).collect(),
        }
    }

    /// The fetch of a reopened investigation, every lane stopped where it was: done lanes
    /// stay done, the others wait for `m`. `now` resolves the saved filter's relative times.
    pub fn restored(saved: &SavedFetch, now: EventTime) -> LiveFetch {
        let filter =
            crate::filter::parse(&saved.filter).unwrap_or(crate::filter::Expr::And(Vec::new()));
        LiveFetch {
            plan: plan(&filter, now),
            start: EventTime::from_millis(saved.start_ms),
            end: EventTime::from_millis(saved.end_ms),
            step: saved.step.max(1),
            clamped: Clamped::default(),
            role: saved.role.clone(),
            regions: saved.lanes.iter().map(restored_lane).collect(),
        }
    }
}

fn saved_lane(run: &RegionRun) -> SavedLane {
    let p = &run.progress;
    let (state, why) = match &p.state {
        FetchState::Done => ("done", None),
        FetchState::Failed(why) => ("failed", Some(why.clone())),
        FetchState::Paused | FetchState::Fetching => ("paused", None),
    };
    SavedLane {
        via: run.via.clone(),
        region: p.region.clone(),
        state: state.to_string(),
        why,
        pages: p.pages,
        events: p.events,
        oldest_ms: p.oldest.and_then(EventTime::millis),
        window: (
            run.window.0.millis().unwrap_or(0),
            run.window.1.millis().unwrap_or(0),
        ),
    }
}

fn restored_lane(lane: &SavedLane) -> RegionRun {
    let window = (
        EventTime::from_millis(lane.window.0),
        EventTime::from_millis(lane.window.1),
    );
    let oldest = lane.oldest_ms.map(EventTime::from_millis);
    let state = match lane.state.as_str() {
        "done" => FetchState::Done,
        "failed" => FetchState::Failed(lane.why.clone().unwrap_or_else(|| {
            "stopped by an error before the investigation was saved".to_string()
        })),
        _ => FetchState::Paused,
    };
    // What is left: the window's part older than the oldest event reached.
    let window = match (&state, oldest) {
        (FetchState::Done, _) | (_, None) => window,
        (_, Some(o)) => (window.0, o.min(window.1).max(window.0)),
    };
    RegionRun {
        via: lane.via.clone(),
        progress: RegionFetch {
            pages: lane.pages,
            events: lane.events,
            state,
            oldest,
            ..RegionFetch::idle_in(lane.via.label(), &lane.region)
        },
        window,
        job: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::lookup::accounts::Via;

    #[test]
    fn a_paused_lane_resumes_from_the_oldest_event_it_reached() {
        let t = EventTime::from_millis;
        let filter =
            crate::filter::parse("key:AKIAEXAMPLE").unwrap_or(crate::filter::Expr::And(vec![]));
        let accounts = [
            Via::Own,
            Via::Role {
                account: "444455556666".into(),
                role: "R".into(),
            },
        ];
        let (mut live, _) = LiveFetch::across(
            plan(&filter, t(0)),
            &accounts,
            &["us-east-1".to_string()],
            (t(1_000), t(9_000)),
            Some(50),
            50,
        );
        live.regions[0].progress.state = FetchState::Done;
        live.regions[1].progress.state = FetchState::Paused;
        live.regions[1].progress.oldest = Some(t(5_000));
        live.regions[1].progress.events = 50;
        live.regions[1].progress.next_token = Some("tok".into());
        let json = serde_json::to_string(&live.saved()).unwrap_or_default();
        assert!(!json.contains("tok"), "no page token is saved: {json}");
        let back: SavedFetch = serde_json::from_str(&json).unwrap_or_default();
        let mut again = LiveFetch::restored(&back, t(0));
        assert_eq!(again.plan, live.plan);
        let orders = again.more();
        assert_eq!(orders.len(), 1, "the done lane is not asked again");
        assert_eq!(orders[0].via, accounts[1]);
        assert_eq!(orders[0].window, (t(1_000), t(5_000)));
        assert_eq!(orders[0].resume, None);
        assert_eq!(
            orders[0].base.events, 50,
            "counts go on from what was saved"
        );
    }
}
