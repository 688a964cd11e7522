//! The one rule by which rows from REST loads, function responses and realtime events are
//! combined: the row with the newest `updated_at` wins, so the order of arrival can never
//! regress what is shown (a late `processing` never overwrites `completed`). Deleted ids are
//! remembered, so an event that was in flight when the row was deleted cannot bring it back.

use std::collections::{HashMap, HashSet};

use super::time::EpochMicros;

/// A row that can be merged: an id, a version (`updated_at`) and a sort key (`created_at`).
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
    /// Older than, or the same as, what is held (or the id was deleted): nothing changed.
    Ignored,
}

/// Whether `incoming` should replace `current`. Newer wins; at an equal version (two writes
/// in one transaction share `now()`) the later arrival wins only when it differs.
pub fn should_replace<T: Versioned>(current: &T, incoming: &T) -> bool {
    match (current.version(), incoming.version()) {
        (Some(held), Some(new)) if new != held => new > held,
        _ => current != incoming,
    }
}

/// Rows keyed by id, newest first by `created_at`.
#[derive(Debug, Clone)]
pub struct VersionedMap<T: Versioned> {
    rows: HashMap<String, T>,
    deleted: HashSet<String>,
}

impl<T: Versioned> Default for VersionedMap<T> {
    fn default() -> Self {
        Self { rows: HashMap::new(), deleted: HashSet::new() }
    }
}

impl<T: Versioned> VersionedMap<T> {
    /// Applies one row by the rule.
    pub fn apply(&mut self, row: T) -> Applied {
        if self.deleted.contains(row.key()) {
            return Applied::Ignored;
        }
        match self.rows.get(row.key()) {
            None => {
                self.rows.insert(row.key().to_owned(), row);
                Applied::Inserted
            }
            Some(held) if should_replace(held, &row) => {
                self.rows.insert(row.key().to_owned(), row);
                Applied::Updated
            }
            Some(_) => Applied::Ignored,
        }
    }

    /// Removes an id for good (a DELETE event or the creator's delete). True when it was held.
    pub fn remove(&mut self, id: &str) -> bool {
        self.deleted.insert(id.to_owned());
        self.rows.remove(id).is_some()
    }

    /// The row held for an id.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.rows.get(id)
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

    /// Ids, newest `created_at` first (ties by id, so the order is stable).
    pub fn ids_newest_first(&self) -> Vec<String> {
        let mut rows: Vec<&T> = self.rows.values().collect();
        rows.sort_by(|a, b| b.created().cmp(&a.created()).then_with(|| b.key().cmp(a.key())));
        rows.into_iter().map(|r| r.key().to_owned()).collect()
    }

    /// Forgets everything (switching sessions).
    pub fn clear(&mut self) {
        self.rows.clear();
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
}
