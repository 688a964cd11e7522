//! Time zones through the browser's own database (`Intl.DateTimeFormat`), so none is compiled
//! into the wasm: a zone's offset at an instant (the [`ZoneOffsets`] oracle the scheduling rules
//! in `domain::schedule` need), the browser's zone, whether a zone name is known, and an
//! instant's wall-clock time in a zone for display.
//!
//! Offsets come from `formatToParts` in the zone (year … second, 24-hour): the wall clock read
//! as UTC minus the instant is the offset, which every engine supports (unlike the newer
//! `longOffset` zone names).

use crate::domain::schedule::{schedule_at, EpochMillis, LocalDateTime, Resolved, ScheduleError, ZoneOffsets};
use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// One IANA zone as the browser knows it, with its formatter built once.
#[derive(Clone, Debug)]
pub struct BrowserZone {
    name: String,
    format: Intl::DateTimeFormat,
}

impl BrowserZone {
    /// The zone called `name` (e.g. `Europe/Berlin`); `UnknownZone` when the browser has no such
    /// zone (`Intl` throws a RangeError) or the name is a bare offset, which the database's
    /// `pg_timezone_names` would not take.
    pub fn new(name: &str) -> Result<Self, ScheduleError> {
        let unknown = || ScheduleError::UnknownZone(name.to_owned());
        let name = name.trim();
        if name.is_empty() || name.starts_with(['+', '-']) {
            return Err(unknown());
        }
        let options = Object::new();
        for (key, value) in [
            ("timeZone", name),
            ("hourCycle", "h23"),
            ("numberingSystem", "latn"),
            ("year", "numeric"),
            ("month", "numeric"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "numeric"),
            ("second", "numeric"),
        ] {
            Reflect::set(&options, &key.into(), &value.into()).map_err(|_| unknown())?;
        }
        let format = construct_format(&Array::of2(&"en-US".into(), &options)).ok_or_else(unknown)?;
        // The browser's spelling fixes the case (`utc` → `UTC`, as the database wants it); an
        // alias stays as given (Chromium resolves `Asia/Kolkata` to the older `Asia/Calcutta`).
        let name = string_property(&format.resolved_options(), "timeZone")
            .filter(|resolved| resolved.eq_ignore_ascii_case(name))
            .unwrap_or_else(|| name.to_owned());
        Ok(BrowserZone { name, format })
    }

    /// The browser's own zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
    pub fn browser_default() -> Option<Self> {
        browser_time_zone().and_then(|name| Self::new(&name).ok())
    }

    /// The zone's name: as given, in the browser's capitalisation.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The wall-clock time of an instant in this zone, to the minute.
    pub fn local_parts(&self, utc_epoch_ms: EpochMillis) -> LocalDateTime {
        self.wall_clock(utc_epoch_ms).0
    }

    /// The wall clock at an instant (to the minute) and its seconds.
    fn wall_clock(&self, utc_epoch_ms: EpochMillis) -> (LocalDateTime, i64) {
        let parts = self.format.format_to_parts(&Date::new(&JsValue::from_f64(utc_epoch_ms as f64)));
        let mut fields = [0i64; 6]; // year, month, day, hour, minute, second
        for part in parts.iter() {
            let slot = match string_property(&part, "type").as_deref() {
                Some("year") => 0,
                Some("month") => 1,
                Some("day") => 2,
                Some("hour") => 3,
                Some("minute") => 4,
                Some("second") => 5,
                _ => continue,
            };
            fields[slot] = string_property(&part, "value").and_then(|v| v.parse().ok()).unwrap_or(0);
        }
        // Some engines still write midnight as 24 despite h23.
        let hour = (fields[3] % 24) as u8;
        let local = LocalDateTime::new(fields[0] as i32, fields[1] as u8, fields[2] as u8, hour, fields[4] as u8)
            // Intl's parts are a real calendar time; if an engine ever disagrees, read it as UTC.
            .unwrap_or_else(|_| LocalDateTime::at_offset(utc_epoch_ms, 0));
        (local, fields[5])
    }

    /// A creator's pick in this zone made schedulable (see `domain::schedule::schedule_at`).
    pub fn schedule(&self, local: LocalDateTime, now_ms: EpochMillis) -> Result<Resolved, ScheduleError> {
        schedule_at(local, &self.name, self, now_ms)
    }
}

impl ZoneOffsets for BrowserZone {
    fn offset_minutes_at(&self, utc_epoch_ms: EpochMillis) -> i32 {
        let (local, second) = self.wall_clock(utc_epoch_ms);
        let whole_second = utc_epoch_ms - utc_epoch_ms.rem_euclid(1000);
        let offset_ms = local.wall_clock_ms() + second * 1000 - whole_second;
        // Old local mean times are not whole minutes: round to the nearest.
        (offset_ms as f64 / 60_000.0).round() as i32
    }
}

/// The browser's zone name, if it reports one.
pub fn browser_time_zone() -> Option<String> {
    construct_format(&Array::new()).and_then(|f| string_property(&f.resolved_options(), "timeZone"))
}

/// The zones the browser offers (`Intl.supportedValuesOf('timeZone')`), the browser's own zone
/// first, the rest in the browser's order; read once. Empty in a browser without that API
/// (the pickers then take any zone [`is_known_time_zone`] accepts).
pub fn supported_time_zones() -> std::rc::Rc<Vec<String>> {
    thread_local! {
        static ZONES: std::rc::Rc<Vec<String>> = std::rc::Rc::new(read_supported_time_zones());
    }
    ZONES.with(std::rc::Rc::clone)
}

fn read_supported_time_zones() -> Vec<String> {
    let listed = Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| {
            let supported: Function = Reflect::get(&intl, &"supportedValuesOf".into())?.dyn_into()?;
            supported.call1(&intl, &"timeZone".into())
        })
        .ok()
        .and_then(|zones| zones.dyn_into::<Array>().ok());
    let Some(listed) = listed else { return Vec::new() };
    let mut zones: Vec<String> = listed.iter().filter_map(|z| z.as_string()).collect();
    if let Some(own) = browser_time_zone() {
        zones.retain(|z| *z != own);
        zones.insert(0, own);
    }
    zones
}

/// Whether the browser knows a zone by this name.
pub fn is_known_time_zone(name: &str) -> bool {
    BrowserZone::new(name).is_ok()
}

/// Now, from the browser's clock.
pub fn now_ms() -> EpochMillis {
    Date::now() as EpochMillis
}

/// `new Intl.DateTimeFormat(...args)`, `None` when it throws (a RangeError for an unknown zone).
fn construct_format(args: &Array) -> Option<Intl::DateTimeFormat> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: Function = Reflect::get(&intl, &"DateTimeFormat".into()).ok()?.dyn_into().ok()?;
    Reflect::construct(&constructor, args).ok().map(JsCast::unchecked_into)
}

fn string_property(target: &JsValue, key: &str) -> Option<String> {
    Reflect::get(target, &key.into()).ok()?.as_string()
}
