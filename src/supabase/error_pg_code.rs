//! The Postgres error codes (SQLSTATE, see
//! <https://www.postgresql.org/docs/current/errcodes-appendix.html>) the app tells apart, as
//! PostgREST reports them in an error's `code`: named once here rather than compared as text.

/// A SQLSTATE the app acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PgCode {
    /// `22P02` invalid_text_representation: a value not of the column's type (an id that is
    /// not a UUID).
    InvalidText,
    /// `22023` invalid_parameter_value: the RPCs' own refusals, written for people.
    InvalidParameter,
    /// `23503` foreign_key_violation: a row another still points at.
    ForeignKey,
    /// `23505` unique_violation.
    Unique,
    /// `23514` check_violation.
    Check,
    /// `42501` insufficient_privilege: RLS or an RPC refused the caller.
    InsufficientPrivilege,
}

impl PgCode {
    /// Every code, for reading one back.
    pub const ALL: &'static [PgCode] = &[
        Self::InvalidText,
        Self::InvalidParameter,
        Self::ForeignKey,
        Self::Unique,
        Self::Check,
        Self::InsufficientPrivilege,
    ];

    /// The five-character SQLSTATE.
    pub const fn sqlstate(self) -> &'static str {
        match self {
            Self::InvalidText => "22P02",
            Self::InvalidParameter => "22023",
            Self::ForeignKey => "23503",
            Self::Unique => "23505",
            Self::Check => "23514",
            Self::InsufficientPrivilege => "42501",
        }
    }

    /// The code a SQLSTATE names, if the app tells it apart.
    pub fn from_sqlstate(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.sqlstate() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_from_their_sqlstate() {
        for &code in PgCode::ALL {
            assert_eq!(PgCode::from_sqlstate(code.sqlstate()), Some(code));
        }
        assert_eq!(PgCode::from_sqlstate("PGRST116"), None, "PostgREST's own codes are not SQLSTATEs");
    }
}
