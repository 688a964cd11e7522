//! The last refresh-token rotation (old refresh token → new session), kept in IndexedDB so that
//! the next tab to take the refresh lock is sure to see it.
//!
//! `localStorage` alone is not enough: Chromium caches it in each renderer process and tells
//! the other processes of a write asynchronously, in no order with the grant of a Web Lock. A
//! tab granted the lock just after another tab rotated the token can still read the old session
//! there and replay a refresh token the server has already rotated. IndexedDB transactions are
//! run in order by the browser (<https://w3c.github.io/IndexedDB/#transaction-scheduling>): a
//! write whose `complete` event fired before the lock was released is seen by every read begun
//! after the lock was granted. One record only, overwritten by each rotation and removed on
//! sign-out. Where IndexedDB is missing or fails, nothing is recorded and nothing is read.

use js_sys::Promise;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

use crate::domain::auth::TokenRotation;

const DATABASE: &str = "atelier.auth";
const STORE: &str = "rotation";
const KEY: &str = "last";

/// The last rotation recorded by any tab of this origin, if any.
pub async fn last() -> Option<TokenRotation> {
    let (_, store) = open(IdbTransactionMode::Readonly).await?;
    let text = settle(&store.get(&JsValue::from_str(KEY)).ok()?).await?.as_string()?;
    serde_json::from_str(&text).ok()
}

/// Records that `rotation.parent` was exchanged for `rotation.session`; returns once the write
/// is committed, so call it before releasing the refresh lock.
pub async fn record(rotation: &TokenRotation) {
    let Ok(text) = serde_json::to_string(rotation) else { return };
    if let Some((transaction, store)) = open(IdbTransactionMode::Readwrite).await {
        if store.put_with_key(&JsValue::from_str(&text), &JsValue::from_str(KEY)).is_ok() {
            committed(&transaction).await;
        }
    }
}

/// Removes the record (signing out), in the background.
pub fn clear() {
    wasm_bindgen_futures::spawn_local(async {
        if let Some((transaction, store)) = open(IdbTransactionMode::Readwrite).await {
            if store.delete(&JsValue::from_str(KEY)).is_ok() {
                committed(&transaction).await;
            }
        }
    });
}

/// Opens the database (creating its one store the first time) and a transaction on the store.
async fn open(mode: IdbTransactionMode) -> Option<(IdbTransaction, IdbObjectStore)> {
    let request: IdbOpenDbRequest = web_sys::window()?.indexed_db().ok()??.open_with_u32(DATABASE, 1).ok()?;
    let upgrading = request.clone();
    let on_upgrade = Closure::once(move || {
        if let Some(database) = upgrading.result().ok().and_then(|r| r.dyn_into::<IdbDatabase>().ok()) {
            let _ = database.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let database: IdbDatabase = settle(&request).await?.dyn_into().ok()?;
    let transaction = database.transaction_with_str_and_mode(STORE, mode).ok();
    // The connection closes once its transaction is done; no handle is kept between refreshes.
    database.close();
    let store = transaction.as_ref()?.object_store(STORE).ok()?;
    Some((transaction?, store))
}

/// The result of `request` once it succeeded; `None` if it failed.
async fn settle(request: &IdbRequest) -> Option<JsValue> {
    let done = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(done).await.ok()?;
    request.result().ok()
}

/// Waits until `transaction` is committed (its `complete` event), or failed.
async fn committed(transaction: &IdbTransaction) {
    let done = Promise::new(&mut |resolve, reject| {
        transaction.set_oncomplete(Some(&resolve));
        transaction.set_onerror(Some(&reject));
        transaction.set_onabort(Some(&reject));
    });
    let _ = JsFuture::from(done).await;
}
