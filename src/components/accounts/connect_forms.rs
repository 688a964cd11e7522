//! What the accounts page's connection forms share with the list: "Reconnect" on a Bluesky
//! account fills the Bluesky form and moves to its password; on a Mastodon account it starts
//! the flow, reporting in the Mastodon form. Provided by the page, used by its components.

use leptos::html;
use leptos::prelude::*;

use crate::domain::connect::{bluesky_provider, DEFAULT_BLUESKY_SERVICE};
use crate::domain::ConnectedAccount;

/// The connection forms' shared fields, as context.
#[derive(Debug, Clone, Copy)]
pub struct ConnectForms {
    /// "Handle or email" of the Bluesky form.
    pub bluesky_identifier: RwSignal<String>,
    /// "Hosting provider" of the Bluesky form.
    pub bluesky_service: RwSignal<String>,
    /// The Bluesky form's "App password" field, to move to it.
    pub bluesky_password: NodeRef<html::Input>,
    /// The Mastodon form's message (a refused start or finish).
    pub mastodon_error: RwSignal<Option<String>>,
    /// Whether a Mastodon connection is being started or finished.
    pub mastodon_busy: RwSignal<bool>,
}

impl ConnectForms {
    /// Empty forms (the provider prefilled), provided to the page's components.
    pub fn provide() -> Self {
        let forms = Self {
            bluesky_identifier: RwSignal::new(String::new()),
            bluesky_service: RwSignal::new(DEFAULT_BLUESKY_SERVICE.to_owned()),
            bluesky_password: NodeRef::new(),
            mastodon_error: RwSignal::new(None),
            mastodon_busy: RwSignal::new(false),
        };
        provide_context(forms);
        forms
    }

    /// The forms the page provided.
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// Fills the Bluesky form for connecting `account` again and moves to its password.
    pub fn reconnect_bluesky(&self, account: &ConnectedAccount) {
        self.bluesky_identifier.set(account.handle.trim_start_matches('@').to_owned());
        self.bluesky_service.set(bluesky_provider(account));
        if let Some(input) = self.bluesky_password.get_untracked() {
            let _ = input.focus();
        }
    }
}
