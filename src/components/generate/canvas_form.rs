//! The canvas's form values, provided by the Generate page as context so a result card's
//! Remix can fill the canvas with its prompt, parameters and seed. Each session keeps its own
//! prompt while the app is open ([`remember_prompt`]), so moving between sessions or pages
//! loses nothing typed.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;

use crate::domain::generation::GenerationRequest;
use crate::domain::platforms::AspectRatio;
use crate::domain::{Generation, MediaKind, Platform};

/// The prompt canvas's fields.
#[derive(Debug, Clone, Copy)]
pub struct CanvasForm {
    pub prompt: RwSignal<String>,
    pub kind: RwSignal<MediaKind>,
    pub count: RwSignal<u32>,
    pub aspect_ratio: RwSignal<AspectRatio>,
    pub targets: RwSignal<Vec<Platform>>,
    pub style: RwSignal<String>,
    pub negative_prompt: RwSignal<String>,
    /// The seed field as typed ("" for random).
    pub seed: RwSignal<String>,
    /// Bumped by Remix so the canvas can move focus to the prompt.
    pub remixed: RwSignal<u32>,
    /// Whether the options below the prompt (kind, count, ratio, "Made for", style, negative
    /// prompt, seed) are shown or folded into one line.
    pub options: RwSignal<OptionsFold>,
}

/// The canvas's options: shown, folded, or not decided yet (the session is still loading).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsFold {
    /// Nothing decided yet: shown folded, so a session with results does not jump.
    Undecided,
    /// Every option is on screen.
    Shown,
    /// One line says what Generate will use; "Options" shows them.
    Folded,
}

impl OptionsFold {
    /// Whether the options are on screen.
    pub fn is_shown(self) -> bool {
        self == OptionsFold::Shown
    }
}

impl CanvasForm {
    /// Empty prompt, one 1:1 image, random seed.
    pub fn new() -> Self {
        Self {
            prompt: RwSignal::new(String::new()),
            kind: RwSignal::new(MediaKind::Image),
            count: RwSignal::new(1),
            aspect_ratio: RwSignal::new(AspectRatio::Square),
            targets: RwSignal::new(Vec::new()),
            style: RwSignal::new(String::new()),
            negative_prompt: RwSignal::new(String::new()),
            seed: RwSignal::new(String::new()),
            remixed: RwSignal::new(0),
            options: RwSignal::new(OptionsFold::Undecided),
        }
    }

    /// Provides a fresh form to the page's components.
    pub fn provide() -> Self {
        let form = Self::new();
        provide_context(form);
        form
    }

    /// The form of the current page.
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// The seed as typed: `Ok(None)` when empty, an error when it is not a whole number.
    pub fn parsed_seed(&self) -> Result<Option<u64>, String> {
        let text = self.seed.get();
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<u64>().map(Some).map_err(|_| crate::domain::generation::RequestError::BadSeed.to_string())
    }

    /// The request the fields describe (not validated). Reads every field tracked, so a memo
    /// of it (Generate's "why not") follows every keystroke.
    pub fn request(&self) -> GenerationRequest {
        let text = |s: RwSignal<String>| Some(s.get()).filter(|t| !t.trim().is_empty());
        GenerationRequest {
            prompt: self.prompt.get(),
            kind: self.kind.get(),
            count: self.count.get(),
            aspect_ratio: self.aspect_ratio.get(),
            style: text(self.style),
            negative_prompt: text(self.negative_prompt),
            seed: self.parsed_seed().ok().flatten(),
            targets: self.targets.get(),
        }
    }

    /// Fills the canvas from an output: its prompt, parameters and seed.
    pub fn remix(&self, from: &Generation) {
        self.prompt.set(from.prompt.clone());
        self.kind.set(from.kind);
        self.count.set(1);
        if let Some(ratio) = from.params.aspect_ratio {
            self.aspect_ratio.set(ratio);
        }
        self.targets.set(from.params.targets.clone());
        self.style.set(from.params.style.clone().unwrap_or_default());
        self.negative_prompt.set(from.params.negative_prompt.clone().unwrap_or_default());
        self.seed.set(from.params.seed.map(|s| s.to_string()).unwrap_or_default());
        // What Remix filled in is shown, not folded away.
        self.options.set(OptionsFold::Shown);
        self.remixed.update(|n| *n += 1);
    }
}

thread_local! {
    /// The prompt last typed in each session (`None`: the empty workspace, before a session).
    /// In memory only: a prompt is not written to storage the next person at this browser sees.
    static PROMPTS: RefCell<HashMap<Option<String>, String>> = RefCell::new(HashMap::new());
}

/// Keeps `prompt` as the one typed in `session` (an empty prompt forgets it).
pub fn remember_prompt(session: Option<&str>, prompt: &str) {
    let key = session.map(str::to_owned);
    PROMPTS.with_borrow_mut(|prompts| {
        if prompt.is_empty() {
            prompts.remove(&key);
        } else {
            prompts.insert(key, prompt.to_owned());
        }
    });
}

/// The prompt last typed in `session`, or "" when none was.
pub fn recall_prompt(session: Option<&str>) -> String {
    PROMPTS.with_borrow(|prompts| prompts.get(&session.map(str::to_owned)).cloned().unwrap_or_default())
}

impl Default for CanvasForm {
    fn default() -> Self {
        Self::new()
    }
}
