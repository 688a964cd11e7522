//! Email addresses as GoTrue accepts them: at most 255 bytes matching one pattern (that of
//! the `checkmail` Go package): one or more of letters, digits and ``.!#$%&'*+/=?^_`{|}~-``,
//! an `@`, then one or more dot-separated host labels of 1–63 letters, digits and hyphens
//! that neither start nor end with a hyphen. No trimming; the stored form is lowercase.
use crate::api::error::ApiError;

const LOCAL_SYMBOLS: &str = ".!#$%&'*+/=?^_`{|}~-";

/// The address to store (lowercased), or GoTrue's 400 `validation_failed`.
pub fn validate_email(email: &str) -> Result<String, ApiError> {
    let invalid = |msg: &str| ApiError::auth(400, "validation_failed", msg.to_string());
    if email.is_empty() {
        return Err(invalid("An email address is required"));
    }
    if email.len() > 255 {
        return Err(invalid("An email address is too long"));
    }
    if !has_valid_format(email) {
        return Err(invalid("Unable to validate email address: invalid format"));
    }
    Ok(email.to_lowercase())
}

fn has_valid_format(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty() && local.chars().all(|c| c.is_ascii_alphanumeric() || LOCAL_SYMBOLS.contains(c));
    local_ok && domain.split('.').all(valid_label)
}

fn valid_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_refuses_as_gotrue_does() {
        for ok in ["a@b", "o'brien+tag@example.test", "x.y_z{1}|~@sub-1.example.test", "A@EXAMPLE.TEST"] {
            assert!(validate_email(ok).is_ok(), "{ok}");
        }
        let long_label = format!("a@{}.test", "b".repeat(64));
        let refused = [
            "plain",
            "@example.test",
            "a<b@example.test",
            "a>b@x.test",
            "\"q\"@x.test",
            "a b@x.test",
            " a@x.test",
            "a@x.test ",
            "a@@x.test",
            "a@x..test",
            "a@.x.test",
            "a@x.test.",
            "a@-x.test",
            "a@x-.test",
            "a@x_y.test",
            "ü@x.test",
            "a@ü.test",
            "a@x.test\0",
            &long_label,
        ];
        for bad in refused {
            assert!(validate_email(bad).is_err(), "{bad:?}");
        }
        assert_eq!(validate_email("A@EXAMPLE.TEST").unwrap(), "a@example.test");
        assert!(validate_email(&format!("{}@x.test", "a".repeat(250))).is_err(), "over 255 bytes");
    }
}
