//! The login form's two modes and what each changes on screen.

/// What the form does on Enter: sign in to an account, or create one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMode {
    SignIn,
    SignUp,
}

impl LoginMode {
    /// The page heading in this mode.
    pub const fn heading(self) -> &'static str {
        match self {
            Self::SignIn => "Sign in to your workspace",
            Self::SignUp => "Create an account",
        }
    }

    /// The password field's `autocomplete` token.
    pub(super) const fn password_autocomplete(self) -> &'static str {
        match self {
            Self::SignIn => "current-password",
            Self::SignUp => "new-password",
        }
    }
}
