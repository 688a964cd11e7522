//! Connected accounts: add a mock account, change an account's time zone. The handle is checked
//! against its platform's rule before anything is sent; the database's refusals (a duplicate
//! handle, a handle off the rule, an unknown zone) reach the creator in words, with what to do. Connecting and disconnecting go through the functions (`services::connections`).

use leptos::prelude::*;
use serde_json::json;

use crate::domain::handles::{check_handle, handle_rule, normalize_handle};
use crate::domain::{AccountStatus, ConnectedAccount, Platform};
use crate::services::{ServiceError, Services};
use crate::supabase::{rest, ApiError, PgCode};

/// Adds a mock account (the only kind a client may create).
pub async fn add_mock(
    app: Services,
    platform: Platform,
    handle: String,
    timezone: Option<String>,
) -> Result<ConnectedAccount, ServiceError> {
    let handle = normalize_handle(&handle);
    check_handle(platform, &handle).map_err(|e| ServiceError::Refused(e.to_string()))?;
    let token = app.token().await?;
    let body = json!({ "platform": platform, "handle": handle, "status": AccountStatus::Mock, "timezone": zone_or_none(timezone) });
    let query = rest::table("connected_accounts", &token).insert(body.to_string()).select("*");
    let created: Vec<ConnectedAccount> = rest::rows(query).await.map_err(|e| account_error(e, Some(platform)))?;
    let created =
        created.into_iter().next().ok_or_else(|| ServiceError::Refused("The account was not created.".to_owned()))?;
    app.publish.accounts.update(|a| a.push(created.clone()));
    Ok(created)
}

/// Changes an account's time zone (`None`: the creator's own).
pub async fn set_timezone(app: Services, id: String, timezone: Option<String>) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let body = json!({ "timezone": zone_or_none(timezone) });
    let query = rest::table("connected_accounts", &token).eq("id", &id).update(body.to_string()).select("*");
    let rows: Vec<ConnectedAccount> = rest::rows(query).await.map_err(|e| account_error(e, None))?;
    if let Some(row) = rows.into_iter().next() {
        app.publish.accounts.update(|list| {
            if let Some(held) = list.iter_mut().find(|a| a.id == row.id) {
                *held = row;
            }
        });
    }
    Ok(())
}

fn zone_or_none(zone: Option<String>) -> Option<String> {
    zone.map(|z| z.trim().to_owned()).filter(|z| !z.is_empty())
}

/// The database's refusal, worded for the accounts page (`platform`: the one a new account is
/// for, whose handle rule a `check_violation` names).
fn account_error(e: ApiError, platform: Option<Platform>) -> ServiceError {
    let refused = |text: &str| ServiceError::Refused(text.to_owned());
    match (e.pg_code(), platform) {
        (Some(PgCode::Unique), _) => refused("You already have an account with this handle on that platform."),
        (Some(PgCode::Check), Some(platform)) if e.to_string().contains("connected_accounts_handle_format") => {
            refused(handle_rule(platform))
        }
        (Some(PgCode::Check), _) if e.to_string().contains("connected_accounts_handle_length") => {
            refused("Give the account a handle of at most 100 characters.")
        }
        (Some(PgCode::InvalidParameter), _) => ServiceError::Refused(e.message_with_hint()),
        _ => e.into(),
    }
}
