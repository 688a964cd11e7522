//! What "Made for" did to the aspect ratio, said next to the choice: picking TikTok turns the
//! images to 9:16, and the creator should not have to notice it in the ratio field.

use leptos::prelude::*;

use crate::domain::platforms::RatioChoice;
use crate::domain::publishing::platform_name;
use crate::domain::Platform;

/// The note's id, for the aspect ratio field's `aria-describedby`.
pub const MADE_FOR_RATIO_ID: &str = "made-for-ratio";

/// "The aspect ratio is set to 9:16 for TikTok." while the targets pick the ratio.
pub fn ratio_note(choice: &RatioChoice, targets: &[Platform]) -> Option<String> {
    let RatioChoice::Pick(ratio) = choice else { return None };
    if targets.is_empty() {
        return None;
    }
    let names: Vec<&str> = targets.iter().map(|p| platform_name(*p)).collect();
    let names = match names.as_slice() {
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => return None,
    };
    Some(format!("The aspect ratio is set to {} for {names}.", ratio.as_str()))
}

/// The note, while the targets pick the ratio ([`crate::domain::platforms::choose_ratio`]).
#[component]
pub fn MadeForNote(choice: Memo<RatioChoice>, targets: RwSignal<Vec<Platform>>) -> impl IntoView {
    move || {
        targets.with(|t| ratio_note(&choice.get(), t)).map(|text| {
            view! { <p id=MADE_FOR_RATIO_ID class="field-note" role="status">{text}</p> }
        })
    }
}
