//! Generated media in Storage, and removing them however many there are: generations and
//! sessions both delete outputs, so this sits below both. Each generation's files live in its
//! own folder (`<user_id>/<generation_id>/`, one file per attempt and kind), so
//! the folders are listed — a few at a time — and the paths found are removed in batches of
//! at most [`REMOVE_BATCH`], the most one Storage request takes.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::services::Services;
use crate::supabase::{storage, ApiError};

/// The bucket generated media live in (`<user_id>/<generation_id>/…`).
pub const BUCKET: &str = "generated_assets";

/// Most paths one `DELETE /object/{bucket}` removes.
pub const REMOVE_BATCH: usize = 1_000;
/// Most names one listing of a folder returns (`storage::list`'s limit).
const LISTED_AT_MOST: usize = 100;
/// Folders listed at the same time (a browser opens about six connections per host).
const LISTINGS_AT_ONCE: usize = 6;

/// Removes every stored object of these generations (`<user_id>/<generation_id>/*`), in
/// Storage batches of at most [`REMOVE_BATCH`] paths.
pub async fn remove_media(app: Services, token: &str, generation_ids: &[String]) -> Result<(), ApiError> {
    let user_id = app.user_id()?;
    let folders = generation_ids.iter().map(|id| format!("{user_id}/{id}")).collect();
    remove_folders(BUCKET, folders, token).await
}

/// Removes every object under each of `folders` in `bucket`. A folder whose listing came back
/// full is listed again after the removal, until it is empty. The first error stops the work
/// and is returned: some objects may be gone by then, none is left unreported.
async fn remove_folders(bucket: &'static str, folders: Vec<String>, token: &str) -> Result<(), ApiError> {
    let mut pending = folders;
    while !pending.is_empty() {
        let listed = list_folders(bucket, pending, token).await?;
        let paths: Vec<String> = listed
            .iter()
            .flat_map(|(folder, names)| names.iter().map(move |name| format!("{folder}/{name}")))
            .collect();
        for batch in paths.chunks(REMOVE_BATCH) {
            storage::remove(bucket, batch, token).await?;
        }
        pending = listed.into_iter().filter(|(_, names)| names.len() >= LISTED_AT_MOST).map(|(f, _)| f).collect();
    }
    Ok(())
}

/// Lists the names directly under each folder, [`LISTINGS_AT_ONCE`] at a time.
async fn list_folders(
    bucket: &'static str,
    folders: Vec<String>,
    token: &str,
) -> Result<Vec<(String, Vec<String>)>, ApiError> {
    let queue = Rc::new(RefCell::new(folders.into_iter()));
    let found = Rc::new(RefCell::new(Vec::new()));
    let failure = Rc::new(RefCell::new(None::<ApiError>));
    let workers = js_sys::Array::new();
    for _ in 0..LISTINGS_AT_ONCE {
        let (queue, found, failure, token) = (queue.clone(), found.clone(), failure.clone(), token.to_owned());
        workers.push(&future_to_promise(async move {
            loop {
                let next = queue.borrow_mut().next();
                let Some(folder) = next.filter(|_| failure.borrow().is_none()) else { break };
                match storage::list(bucket, &folder, &token).await {
                    Ok(names) => found.borrow_mut().push((folder, names)),
                    Err(e) => {
                        failure.borrow_mut().get_or_insert(e);
                        break;
                    }
                }
            }
            Ok(JsValue::UNDEFINED)
        }));
    }
    // The workers always resolve; a failure is carried in `failure`.
    let _ = JsFuture::from(js_sys::Promise::all(&workers)).await;
    if let Some(e) = failure.borrow_mut().take() {
        return Err(e);
    }
    Ok(found.take())
}
