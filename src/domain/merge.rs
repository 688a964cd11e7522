//! The one rule by which rows from REST loads, function responses and realtime events are
//! combined: the row with the newest `updated_at` wins, so the order of arrival can never
//! regress what is shown (a late `processing` never overwrites `completed`). Deleted ids are
//! remembered, so an event that was in flight when the row was deleted cannot bring it back.
//!
//! A row's timestamps are read once, when it enters the map, and kept beside it as instants;
//! a sorted index (newest `created_at` first, then id, as the server's
//! `order=created_at.desc,id.desc`) is kept as rows come and go, so the order is never
//! re-sorted and a batch of `n` rows costs `O(n log n)`.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet};

use super::time::EpochMicros;

/// A row that can be merged: an id, a version (`updated_at`) and a sort key (`created_at`).
/// The map calls `version` and `created` once per row it is given.
pub trait Versioned: Clone + PartialEq {
    fn key(&self) -> &str;
    fn version(&self) -> Option<EpochMicros>;
    fn created(&self) -> Option<EpochMicros>;
}

impl Versioned for super::Generation {
    fn key(&self) -> &str {
        &self.id
    }
    fn version(&self) -> Option<EpochMicros> {
        super::Generation::version(self)
    }
    fn created(&self) -> Option<EpochMicros> {
        super::Generation::created(self)
    }
}

/// What applying a row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// A row not held before: the order changed.
    Inserted,
    /// A newer version of a held row: only that row changed.
    Updated,
    /// A newer version of a held row whose `created_at` differs: the row and the order changed.
    Moved,
    /// Older than, or the same as, what is held (or the id was deleted): nothing changed.
    Ignored,
}

/// Whether `incoming` should replace `current`. Newer wins; at an equal version (two writes
/// in one transaction share `now()`) the later arrival wins only when it differs.
pub fn should_replace<T: Versioned>(current: &T, incoming: &T) -> bool {
    replaces(current, current.version(), incoming, incoming.version())
}

/// [`should_replace`] on versions already read.
fn replaces<T: PartialEq>(current: &T, held: Option<EpochMicros>, incoming: &T, new: Option<EpochMicros>) -> bool {
    match (held, new) {
        (Some(held), Some(new)) if new != held => new > held,
        _ => current != incoming,
    }
}

/// Where a row sits in the order: newest `created_at` first (a row without one last), then
/// the greater id first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Place(Reverse<Option<EpochMicros>>, Reverse<String>);

impl Place {
    fn new(created: Option<EpochMicros>, id: &str) -> Self {
        Place(Reverse(created), Reverse(id.to_owned()))
    }
}

/// A row held with its timestamps read.
#[derive(Debug, Clone)]
struct Held<T> {
    row: T,
    version: Option<EpochMicros>,
    created: Option<EpochMicros>,
}

/// What a batch changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchApplied {
    /// Ids inserted or replaced by a newer version, each once, in the order first changed.
    pub changed: Vec<String>,
    /// Whether the order changed (a row inserted, or one's `created_at` moved).
    pub reordered: bool,
}

/// Rows keyed by id, with their order (newest `created_at` first, then id) kept as an index.
#[derive(Debug, Clone)]
pub struct VersionedMap<T: Versioned> {
    rows: HashMap<String, Held<T>>,
    order: BTreeSet<Place>,
    deleted: HashSet<String>,
}

impl<T: Versioned> Default for VersionedMap<T> {
    fn default() -> Self {
        Self { rows: HashMap::new(), order: BTreeSet::new(), deleted: HashSet::new() }
    }
}

impl<T: Versioned> VersionedMap<T> {
    /// Applies one row by the rule.
    pub fn apply(&mut self, row: T) -> Applied {
        if self.deleted.contains(row.key()) {
            return Applied::Ignored;
        }
        let version = row.version();
        let id = row.key().to_owned();
        match self.rows.get_mut(&id) {
            None => {
                let created = row.created();
                self.order.insert(Place::new(created, &id));
                self.rows.insert(id, Held { row, version, created });
                Applied::Inserted
            }
            Some(held) if replaces(&held.row, held.version, &row, version) => {
                let created = row.created();
                let moved = created != held.created;
                if moved {
                    self.order.remove(&Place::new(held.created, &id));
                    self.order.insert(Place::new(created, &id));
                }
                *held = Held { row, version, created };
                if moved {
                    Applied::Moved
                } else {
                    Applied::Updated
                }
            }
            Some(_) => Applied::Ignored,
        }
    }

    /// Applies many rows in their order of arrival: the same result as applying them one by
    /// one, reported once.
    pub fn apply_batch(&mut self, rows: impl IntoIterator<Item = T>) -> BatchApplied {
        let mut done = BatchApplied::default();
        let mut seen = HashSet::new();
        for row in rows {
            let id = row.key().to_owned();
            match self.apply(row) {
                Applied::Ignored => continue,
                Applied::Inserted | Applied::Moved => done.reordered = true,
                Applied::Updated => {}
            }
            if seen.insert(id.clone()) {
                done.changed.push(id);
            }
        }
        done
    }

    /// Removes an id for good (a DELETE event or the creator's delete). True when it was held.
    pub fn remove(&mut self, id: &str) -> bool {
        self.deleted.insert(id.to_owned());
        match self.rows.remove(id) {
            Some(held) => {
                self.order.remove(&Place::new(held.created, id));
                true
            }
            None => false,
        }
    }

    /// The row held for an id.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.rows.get(id).map(|held| &held.row)
    }

    /// The version (`updated_at`) of the row held for an id, as read when it arrived.
    pub fn version_of(&self, id: &str) -> Option<EpochMicros> {
        self.rows.get(id).and_then(|held| held.version)
    }

    /// Whether an id is held.
    pub fn contains(&self, id: &str) -> bool {
        self.rows.contains_key(id)
    }

    /// How many rows are held.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, newest `created_at` first (ties by id, so the order is stable).
    pub fn newest_first(&self) -> impl Iterator<Item = &T> + '_ {
        self.order.iter().filter_map(|place| self.get(&place.1 .0))
    }

    /// Ids, newest `created_at` first (ties by id, so the order is stable).
    pub fn ids_newest_first(&self) -> Vec<String> {
        self.order.iter().map(|place| place.1 .0.clone()).collect()
    }

    /// Forgets everything (switching sessions).
    pub fn clear(&mut self) {
        self.rows.clear();
        self.order.clear();
        self.deleted.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Generation, GenerationStatus};

    fn gen(id: &str, status: GenerationStatus, second: u32, created_minute: u32) -> Generation {
        serde_json::from_value(serde_json::json!({
            "id": id, "session_id": "s", "user_id": "u", "kind": "image", "prompt": "p",
            "status": status.as_str(),
            "created_at": format!("2026-11-26T10:{created_minute:02}:00+00:00"),
            "updated_at": format!("2026-11-26T11:00:{second:02}.5+00:00"),
        }))
        .unwrap()
    }

    #[test]
    fn a_late_processing_never_overwrites_completed() {
        let mut map = VersionedMap::default();
        assert_eq!(map.apply(gen("a", GenerationStatus::Queued, 0, 0)), Applied::Inserted);
        assert_eq!(map.apply(gen("a", GenerationStatus::Completed, 9, 0)), Applied::Updated);
        assert_eq!(map.apply(gen("a", GenerationStatus::Processing, 3, 0)), Applied::Ignored);
        assert_eq!(map.get("a").unwrap().status, GenerationStatus::Completed);
    }

    #[test]
    fn duplicates_change_nothing() {
        let mut map = VersionedMap::default();
        map.apply(gen("a", GenerationStatus::Processing, 3, 0));
        assert_eq!(map.apply(gen("a", GenerationStatus::Processing, 3, 0)), Applied::Ignored);
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn same_transaction_writes_take_the_later_arrival() {
        let mut map = VersionedMap::default();
        map.apply(gen("a", GenerationStatus::Processing, 3, 0));
        assert_eq!(map.apply(gen("a", GenerationStatus::Failed, 3, 0)), Applied::Updated);
    }

    #[test]
    fn a_delete_after_an_update_stays_deleted() {
        let mut map = VersionedMap::default();
        map.apply(gen("a", GenerationStatus::Queued, 0, 0));
        map.apply(gen("a", GenerationStatus::Processing, 1, 0));
        assert!(map.remove("a"));
        assert_eq!(map.apply(gen("a", GenerationStatus::Completed, 5, 0)), Applied::Ignored);
        assert!(map.get("a").is_none());
        assert!(!map.remove("never-held"));
    }

    #[test]
    fn order_is_newest_created_first_whatever_the_arrival() {
        let mut map = VersionedMap::default();
        map.apply(gen("old", GenerationStatus::Completed, 0, 1));
        map.apply(gen("new", GenerationStatus::Queued, 0, 5));
        map.apply(gen("mid", GenerationStatus::Queued, 0, 3));
        assert_eq!(map.ids_newest_first(), vec!["new", "mid", "old"]);
    }

    #[test]
    fn a_batch_reports_each_changed_row_once_and_whether_the_order_moved() {
        let mut map = VersionedMap::default();
        let done = map.apply_batch([
            gen("a", GenerationStatus::Queued, 0, 1),
            gen("a", GenerationStatus::Processing, 1, 1),
            gen("b", GenerationStatus::Queued, 0, 2),
            gen("a", GenerationStatus::Queued, 0, 1),
        ]);
        assert_eq!(done, BatchApplied { changed: vec!["a".into(), "b".into()], reordered: true });
        let done =
            map.apply_batch([gen("a", GenerationStatus::Completed, 4, 1), gen("b", GenerationStatus::Queued, 0, 2)]);
        assert_eq!(done, BatchApplied { changed: vec!["a".into()], reordered: false });
        assert_eq!(map.apply_batch([gen("a", GenerationStatus::Processing, 2, 1)]), BatchApplied::default());
    }

    #[test]
    fn the_index_follows_deletes_and_a_moved_created_at() {
        let mut map = VersionedMap::default();
        map.apply_batch([
            gen("a", GenerationStatus::Queued, 0, 1),
            gen("b", GenerationStatus::Queued, 0, 2),
            gen("c", GenerationStatus::Queued, 0, 2),
        ]);
        assert_eq!(map.ids_newest_first(), ["c", "b", "a"], "equal created_at: the greater id first");
        assert!(map.remove("c"));
        assert_eq!(map.ids_newest_first(), ["b", "a"]);
        assert_eq!(map.apply(gen("a", GenerationStatus::Processing, 1, 9)), Applied::Moved);
        assert_eq!(map.ids_newest_first(), ["a", "b"]);
        let rows: Vec<&str> = map.newest_first().map(|g| g.id.as_str()).collect();
        assert_eq!(rows, ["a", "b"]);
        assert_eq!(map.version_of("a"), map.get("a").unwrap().version());
    }
}
