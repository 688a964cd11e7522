//! A cross-tab exclusive lock over the Web Locks API (`navigator.locks.request`), as auth-js
//! uses it: only one tab of the origin refreshes the session at a time. Where the API is
//! missing or refuses, the work runs unlocked.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

type Work<T> = Pin<Box<dyn Future<Output = T>>>;

/// Runs `work` while holding the lock `name` in every tab of this origin.
pub async fn with_lock<Fut, T>(name: &str, work: Fut) -> T
where
    Fut: Future<Output = T> + 'static,
    T: 'static,
{
    let pending: Rc<RefCell<Option<Work<T>>>> = Rc::new(RefCell::new(Some(Box::pin(work))));
    let result: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    if let Some((locks, request)) = lock_manager() {
        let (todo, slot) = (pending.clone(), result.clone());
        let callback = wasm_bindgen::closure::Closure::once_into_js(move |_lock: JsValue| -> Promise {
            let work = todo.borrow_mut().take();
            future_to_promise(async move {
                if let Some(work) = work {
                    *slot.borrow_mut() = Some(work.await);
                }
                Ok(JsValue::UNDEFINED)
            })
        });
        let granted = request.call2(&locks, &JsValue::from_str(name), &callback);
        if let Ok(promise) = granted.and_then(|p| p.dyn_into::<Promise>()) {
            let _ = JsFuture::from(promise).await;
        }
    }
    let unlocked = pending.borrow_mut().take();
    if let Some(work) = unlocked {
        return work.await;
    }
    let done = result.borrow_mut().take();
    done.expect("the lock callback ran the work to completion")
}

fn lock_manager() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok().filter(|l| l.is_object())?;
    let request = Reflect::get(&locks, &JsValue::from_str("request")).ok()?.dyn_into::<Function>().ok()?;
    Some((locks, request))
}
