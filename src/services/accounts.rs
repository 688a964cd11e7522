//! Connected accounts: add a mock account, change an account's time zone. The database's own
//! messages (a duplicate handle, an unknown zone) reach the creator as they are, with what to
//! do. Connecting and disconnecting go through the functions (`services::connections`).

use leptos::prelude::*;
use serde_json::json;

use crate::domain::{AccountStatus, ConnectedAccount, Platform};
use crate::services::{ServiceError, Services};
use crate::supabase::{rest, ApiError};

/// Adds a mock account (the only kind a client may create).
pub async fn add_mock(
    app: Services,
    platform: Platform,
    handle: String,
    timezone: Option<String>,
) -> Result<ConnectedAccount, ServiceError> {
    let handle = handle.trim().trim_start_matches('@').to_owned();
    if handle.is_empty() {
        return Err(ServiceError::Refused("Give the account a handle.".to_owned()));
    }
    let token = app.token().await?;
    let body = json!({ "platform": platform, "handle": handle, "status": AccountStatus::Mock, "timezone": zone_or_none(timezone) });
    let query = rest::table("connected_accounts", &token).insert(body.to_string()).select("*");
    let created: Vec<ConnectedAccount> = rest::rows(query).await.map_err(account_error)?;
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
    let rows: Vec<ConnectedAccount> = rest::rows(query).await.map_err(account_error)?;
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

/// The database's refusal, worded for the accounts page.
fn account_error(e: ApiError) -> ServiceError {
    match e.code() {
        Some("23505") => {
            ServiceError::Refused("You already have an account with this handle on that platform.".to_owned())
        }
        Some("22023") => ServiceError::Refused(e.message_with_hint()),
        _ => e.into(),
    }
}
