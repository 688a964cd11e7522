//! Changing the password: checked here first (length, the two fields alike), so a mistake
//! sends nothing, then sent with a fresh token.

use super::refresh::fresh_token;
use crate::state::{AuthState, UiState};
use crate::supabase::auth as api;

/// The shortest password the project accepts (`auth.minimum_password_length` in
/// supabase/config.toml; GoTrue refuses shorter ones with `weak_password`).
pub const MIN_PASSWORD_LENGTH: usize = 6;
/// The longest password GoTrue accepts (bcrypt reads 72 bytes).
pub const MAX_PASSWORD_BYTES: usize = 72;

/// Why a password was not changed, in words the creator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordChangeError {
    #[error("The two passwords do not match. Type the same new password in both fields.")]
    Mismatch,
    #[error("The new password is too short: use at least {MIN_PASSWORD_LENGTH} characters.")]
    TooShort,
    #[error("The new password is too long: use at most {MAX_PASSWORD_BYTES} characters.")]
    TooLong,
    #[error("That is already your password. Choose a different one.")]
    SamePassword,
    #[error("{0}")]
    Refused(String),
}

/// What is wrong with `new`/`repeat` before anything is sent, if anything.
pub fn check_new_password(new: &str, repeat: &str) -> Result<(), PasswordChangeError> {
    if new.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(PasswordChangeError::TooShort);
    }
    if new.len() > MAX_PASSWORD_BYTES {
        return Err(PasswordChangeError::TooLong);
    }
    if new != repeat {
        return Err(PasswordChangeError::Mismatch);
    }
    Ok(())
}

/// Changes the signed-in creator's password (checked here first, so a mistake sends nothing).
/// The session stays signed in; the old password stops working.
pub async fn change_password(
    auth: AuthState,
    ui: UiState,
    new: String,
    repeat: String,
) -> Result<(), PasswordChangeError> {
    check_new_password(&new, &repeat)?;
    let token = fresh_token(auth, ui).await.map_err(|e| PasswordChangeError::Refused(e.user_message()))?;
    api::update_password(&token, &new).await.map(|_| ()).map_err(|e| match e.code() {
        Some("same_password") => PasswordChangeError::SamePassword,
        Some("weak_password") => {
            PasswordChangeError::Refused(format!("{} Choose a stronger password.", e.user_message()))
        }
        _ => PasswordChangeError::Refused(format!("Your password was not changed: {}", e.user_message())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_checked_before_it_is_sent() {
        assert_eq!(check_new_password("abc", "abc"), Err(PasswordChangeError::TooShort));
        assert_eq!(check_new_password("secret-one", "secret-two"), Err(PasswordChangeError::Mismatch));
        assert_eq!(check_new_password(&"x".repeat(73), &"x".repeat(73)), Err(PasswordChangeError::TooLong));
        assert_eq!(check_new_password("sixsix", "sixsix"), Ok(()));
        assert!(PasswordChangeError::TooShort.to_string().contains("at least 6 characters"));
    }
}
