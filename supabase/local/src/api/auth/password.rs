//! GoTrue's password rules: bcrypt's 72-byte ceiling, config.toml's minimum length
//! (`[auth] minimum_password_length`), and no U+0000 (PostgreSQL text cannot hold it).
use crate::api::error::ApiError;

/// bcrypt ignores everything after 72 bytes, so GoTrue refuses longer passwords.
pub const MAX_PASSWORD_BYTES: usize = 72;

/// GoTrue's `checkPasswordStrength` for a new password: 400 when too long, 422 `weak_password`
/// (with `weak_password.reasons`) when shorter than `min_length` characters.
pub fn check_strength(password: &str, min_length: usize) -> Result<(), ApiError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(too_long());
    }
    if password.chars().count() < min_length {
        let mut e =
            ApiError::auth(422, "weak_password", format!("Password should be at least {min_length} characters."));
        if let ApiError::Auth { weak_reasons, .. } = &mut e {
            *weak_reasons = Some(vec!["length"]);
        }
        return Err(e);
    }
    refuse_nul(password)
}

pub fn too_long() -> ApiError {
    ApiError::auth(400, "validation_failed", format!("Password cannot be longer than {MAX_PASSWORD_BYTES} characters"))
}

/// Such a password could only fail in the database; say what is wrong instead.
pub fn refuse_nul(password: &str) -> Result<(), ApiError> {
    if password.contains('\0') {
        return Err(ApiError::auth(400, "validation_failed", "Password must not contain NUL (U+0000) characters"));
    }
    Ok(())
}
