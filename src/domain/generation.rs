//! A generation as the database holds it, the creator's request for new ones, and what a
//! card shows for a row (the row's status, or a failure the client saw that the row does not
//! know about yet).

use serde::{Deserialize, Serialize};

use super::aspect_ratio::{lenient_ratio, AspectRatio};
use super::time::{parse_timestamp, EpochMicros};
use super::{GenerationStatus, MediaKind, Platform};

/// Longest prompt the database accepts (`generations_prompt_length`: 1..=2000 characters
/// after trimming). A test checks this against the migrated database.
pub const PROMPT_MAX: usize = 2000;
/// Most images one request may ask for.
pub const IMAGE_COUNT_MAX: u32 = 8;
/// Most videos one request may ask for.
pub const VIDEO_COUNT_MAX: u32 = 2;
/// Largest seed (the range every provider that takes one accepts; generate-media checks it).
pub const SEED_MAX: u64 = 2_147_483_647;

/// What the creator asked for, stored in `generations.params` (unknown keys are ignored, so
/// what the function adds after running — the model actually used — reads back fine).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerationParams {
    /// The ratio asked for; an odd value in a stored row reads as `None` (see [`lenient_ratio`]).
    #[serde(default, deserialize_with = "lenient_ratio", skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<AspectRatio>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<String>,
    /// The seed of this output (the request's seed plus the output's index when fixed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The platforms the creator made this for ("Made for"); post-production preselects them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Platform>,
}

/// One row of `public.generations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    pub id: String,
    pub session_id: String,
    pub user_id: String,
    pub kind: MediaKind,
    pub prompt: String,
    #[serde(default)]
    pub params: GenerationParams,
    pub status: GenerationStatus,
    #[serde(default)]
    pub media_path: Option<String>,
    #[serde(default)]
    pub media_url: Option<String>,
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    #[serde(default)]
    pub duration_ms: Option<u32>,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub starred: bool,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default)]
    pub completed_at: Option<String>,
}

impl Generation {
    /// `updated_at` as an instant: the version the merge rule compares.
    pub fn version(&self) -> Option<EpochMicros> {
        parse_timestamp(&self.updated_at)
    }

    /// `created_at` as an instant: the grid's order (newest first).
    pub fn created(&self) -> Option<EpochMicros> {
        parse_timestamp(&self.created_at)
    }

    /// Whether the row has reached a status it will not leave on its own.
    pub fn is_terminal(&self) -> bool {
        self.status.is_terminal()
    }

    /// The file name a download of this output gets (`<prompt words>-<seed>.png`).
    pub fn download_name(&self) -> String {
        let words: Vec<String> = self
            .prompt
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(6)
            .map(str::to_lowercase)
            .collect();
        let stem = if words.is_empty() { "atelier".to_owned() } else { words.join("-") };
        let ext = self.media_url.as_deref().and_then(|u| u.rsplit('.').next()).filter(|e| e.len() <= 4);
        let ext = ext.unwrap_or(match self.kind {
            MediaKind::Image => "png",
            MediaKind::Video => "mp4",
        });
        match self.params.seed {
            Some(seed) => format!("{stem}-{seed}.{ext}"),
            None => format!("{stem}.{ext}"),
        }
    }
}

/// A failure the client saw (the function could not be reached, its call failed) for a row
/// whose status cannot say so: a client cannot write a generation's status. It holds while
/// the row is still the version it was seen on; any newer row replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFailure {
    pub message: String,
    pub seen_version: Option<EpochMicros>,
}

/// What a card shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardState {
    Waiting(GenerationStatus),
    Completed,
    Failed(String),
}

/// The card state for a row, with a client-seen failure laid over an unfinished row.
pub fn card_state(row: &Generation, local: Option<&LocalFailure>) -> CardState {
    match row.status {
        GenerationStatus::Completed => CardState::Completed,
        GenerationStatus::Failed => {
            CardState::Failed(row.error.clone().unwrap_or_else(|| "This generation failed — retry it.".to_owned()))
        }
        GenerationStatus::Queued | GenerationStatus::Processing => match local {
            Some(failure) if failure.seen_version == row.version() => CardState::Failed(failure.message.clone()),
            _ => CardState::Waiting(row.status),
        },
    }
}

/// Why a generation request cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("Write a prompt first.")]
    EmptyPrompt,
    #[error("Keep the prompt within {PROMPT_MAX} characters ({0} now).")]
    PromptTooLong(usize),
    #[error("Ask for 1 to {max} {kind}s.", kind = .kind.as_str())]
    BadCount { kind: MediaKind, max: u32 },
    #[error("The seed must be a whole number from 0 to {SEED_MAX}, or empty for a random one.")]
    BadSeed,
}

/// The most outputs one request of `kind` may ask for.
pub fn count_max(kind: MediaKind) -> u32 {
    match kind {
        MediaKind::Image => IMAGE_COUNT_MAX,
        MediaKind::Video => VIDEO_COUNT_MAX,
    }
}

/// Trims the prompt and checks it against the database's rule.
pub fn validate_prompt(raw: &str) -> Result<String, RequestError> {
    let prompt = raw.trim();
    let chars = prompt.chars().count();
    if chars == 0 {
        Err(RequestError::EmptyPrompt)
    } else if chars > PROMPT_MAX {
        Err(RequestError::PromptTooLong(chars))
    } else {
        Ok(prompt.to_owned())
    }
}

/// What the canvas submits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerationRequest {
    pub prompt: String,
    pub kind: MediaKind,
    pub count: u32,
    pub aspect_ratio: AspectRatio,
    pub style: Option<String>,
    pub negative_prompt: Option<String>,
    /// A fixed seed, or `None` for a random one per output.
    pub seed: Option<u64>,
    pub targets: Vec<Platform>,
}

/// One row to insert: what the client may write (`kind`, `prompt`, `params`, `session_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewGeneration {
    pub session_id: String,
    pub kind: MediaKind,
    pub prompt: String,
    pub params: GenerationParams,
}

impl GenerationRequest {
    /// Checks the request; the same rules the canvas shows next to Generate.
    pub fn validate(&self) -> Result<(), RequestError> {
        validate_prompt(&self.prompt)?;
        if self.count == 0 || self.count > count_max(self.kind) {
            return Err(RequestError::BadCount { kind: self.kind, max: count_max(self.kind) });
        }
        if self.seed.is_some_and(|s| s > SEED_MAX) {
            return Err(RequestError::BadSeed);
        }
        Ok(())
    }

    /// The rows to insert, one per output. A fixed seed gives outputs seed, seed+1, … (wrapping
    /// past [`SEED_MAX`]); with none, `random_seed(i)` picks each output's own, so every card
    /// can say what it used.
    pub fn rows(
        &self,
        session_id: &str,
        mut random_seed: impl FnMut(u32) -> u64,
    ) -> Result<Vec<NewGeneration>, RequestError> {
        self.validate()?;
        let prompt = validate_prompt(&self.prompt)?;
        let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok((0..self.count)
            .map(|i| NewGeneration {
                session_id: session_id.to_owned(),
                kind: self.kind,
                prompt: prompt.clone(),
                params: GenerationParams {
                    aspect_ratio: Some(self.aspect_ratio),
                    count: Some(self.count),
                    style: clean(&self.style),
                    negative_prompt: clean(&self.negative_prompt),
                    seed: Some(match self.seed {
                        Some(seed) => (seed + u64::from(i)) % (SEED_MAX + 1),
                        None => random_seed(i) % (SEED_MAX + 1),
                    }),
                    model: None,
                    targets: self.targets.clone(),
                },
            })
            .collect())
    }
}

/// A session title made from a prompt: its first line, cut at a word near 60 characters.
pub fn title_from_prompt(prompt: &str) -> String {
    const MAX: usize = 60;
    let line = prompt.trim().lines().next().unwrap_or("").trim();
    if line.chars().count() <= MAX {
        return if line.is_empty() { "Untitled session".to_owned() } else { line.to_owned() };
    }
    let cut: String = line.chars().take(MAX).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > MAX / 2).map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: GenerationStatus, updated_at: &str) -> Generation {
        serde_json::from_value(serde_json::json!({
            "id": "g1", "session_id": "s1", "user_id": "u1", "kind": "image", "prompt": "A red fox",
            "params": {"aspect_ratio": "4:5", "seed": 7, "used_by_function": true},
            "status": status.as_str(), "created_at": "2026-11-26T10:00:00+00:00", "updated_at": updated_at,
        }))
        .unwrap()
    }

    fn request(count: u32, seed: Option<u64>) -> GenerationRequest {
        GenerationRequest {
            prompt: "  Misty harbour at dawn ".into(),
            kind: MediaKind::Image,
            count,
            aspect_ratio: AspectRatio::Portrait4x5,
            style: Some(" ".into()),
            negative_prompt: Some("people".into()),
            seed,
            targets: vec![Platform::Instagram],
        }
    }

    #[test]
    fn rows_parse_with_unknown_params() {
        let g = row(GenerationStatus::Queued, "2026-11-26T10:00:00+00:00");
        assert_eq!(g.params.seed, Some(7));
        assert_eq!(g.params.aspect_ratio, Some(AspectRatio::Portrait4x5));
        assert!(!g.starred);
    }

    #[test]
    fn a_fixed_seed_counts_up_per_output() {
        let rows = request(3, Some(41)).rows("s1", |_| unreachable!()).unwrap();
        let seeds: Vec<_> = rows.iter().map(|r| r.params.seed.unwrap()).collect();
        assert_eq!(seeds, vec![41, 42, 43]);
        assert_eq!(rows[0].prompt, "Misty harbour at dawn");
        assert_eq!(rows[0].params.style, None);
        assert_eq!(rows[0].params.targets, vec![Platform::Instagram]);
        assert_eq!(rows[0].params.aspect_ratio, Some(AspectRatio::Portrait4x5));
        let written = serde_json::to_value(&rows[0].params).unwrap();
        assert_eq!(written["aspect_ratio"], "4:5", "written as the database spells it");
        let random = request(2, None).rows("s1", |i| 1000 + u64::from(i)).unwrap();
        assert_eq!(random[1].params.seed, Some(1001));
        let wrapping = request(2, Some(SEED_MAX)).rows("s1", |_| unreachable!()).unwrap();
        assert_eq!(wrapping[1].params.seed, Some(0));
        assert_eq!(request(1, Some(SEED_MAX + 1)).validate(), Err(RequestError::BadSeed));
    }

    #[test]
    fn requests_are_checked_like_the_database_does() {
        assert_eq!(request(0, None).validate(), Err(RequestError::BadCount { kind: MediaKind::Image, max: 8 }));
        assert_eq!(request(9, None).validate(), Err(RequestError::BadCount { kind: MediaKind::Image, max: 8 }));
        let mut video = request(3, None);
        video.kind = MediaKind::Video;
        assert_eq!(video.validate(), Err(RequestError::BadCount { kind: MediaKind::Video, max: 2 }));
        assert_eq!(validate_prompt("   "), Err(RequestError::EmptyPrompt));
        assert_eq!(validate_prompt(&"é".repeat(PROMPT_MAX)).unwrap().chars().count(), PROMPT_MAX);
        assert_eq!(validate_prompt(&"é".repeat(PROMPT_MAX + 1)), Err(RequestError::PromptTooLong(PROMPT_MAX + 1)));
    }

    #[test]
    fn a_local_failure_holds_only_for_the_version_it_saw() {
        let queued = row(GenerationStatus::Queued, "2026-11-26T10:00:00+00:00");
        let failure = LocalFailure { message: "Could not reach the generator".into(), seen_version: queued.version() };
        assert_eq!(card_state(&queued, Some(&failure)), CardState::Failed("Could not reach the generator".into()));
        let moved_on = row(GenerationStatus::Processing, "2026-11-26T10:00:05+00:00");
        assert_eq!(card_state(&moved_on, Some(&failure)), CardState::Waiting(GenerationStatus::Processing));
        let done = row(GenerationStatus::Completed, "2026-11-26T10:00:00+00:00");
        assert_eq!(card_state(&done, Some(&failure)), CardState::Completed);
    }

    #[test]
    fn titles_come_from_the_prompt() {
        assert_eq!(title_from_prompt("  A red fox\nsecond line"), "A red fox");
        let long = "Golden hour portrait of a ceramicist in her studio surrounded by drying bowls and glaze";
        let title = title_from_prompt(long);
        assert!(title.ends_with('…') && title.chars().count() <= 61, "{title}");
        assert_eq!(title_from_prompt(" "), "Untitled session");
    }

    #[test]
    fn download_names_are_readable() {
        let mut g = row(GenerationStatus::Completed, "2026-11-26T10:00:00+00:00");
        g.media_url = Some("http://x/storage/v1/object/public/generated_assets/u/g/image-1.png".into());
        assert_eq!(g.download_name(), "a-red-fox-7.png");
    }
}
