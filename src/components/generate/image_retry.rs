//! Images that failed to load while the browser was offline stay broken once it is back: the
//! browser does not retry them. When the `online` event fires, every image under a root that
//! finished without pixels is asked for again, with a query that no failed cache entry holds.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Retries the broken images under `root` each time the browser comes back online, for as long
/// as the calling component lives.
pub fn retry_broken_images_when_online<E>(root: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let handle = window_event_listener(leptos::ev::online, move |_| {
        let Some(root) = root.get_untracked() else { return };
        let Ok(root) = root.dyn_into::<web_sys::Element>() else { return };
        for img in images_under(&root) {
            retry_if_broken(&img);
        }
    });
    on_cleanup(move || handle.remove());
}

/// Every `img` under `root` (`querySelectorAll`, called through JS: the crate's web-sys
/// features have no `NodeList`).
fn images_under(root: &web_sys::Element) -> Vec<web_sys::Element> {
    let Some(query) =
        js_sys::Reflect::get(root, &"querySelectorAll".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return Vec::new();
    };
    let Ok(list) = query.call1(root, &"img".into()) else { return Vec::new() };
    js_sys::Array::from(&list).iter().filter_map(|node| node.dyn_into::<web_sys::Element>().ok()).collect()
}

/// Sets a new `src` on an image that finished loading without pixels (an error).
fn retry_if_broken(img: &web_sys::Element) {
    let read = |name: &str| js_sys::Reflect::get(img, &name.into()).ok();
    let complete = read("complete").and_then(|v| v.as_bool()).unwrap_or(false);
    let width = read("naturalWidth").and_then(|v| v.as_f64()).unwrap_or(0.0);
    let Some(src) = img.get_attribute("src").filter(|s| !s.is_empty()) else { return };
    if complete && width == 0.0 {
        let _ = img.set_attribute("src", &retry_url(&src, js_sys::Date::now() as u64));
    }
}

/// `src` with a `retry` query parameter set to `stamp` (replacing an earlier one).
fn retry_url(src: &str, stamp: u64) -> String {
    let (path, query) = src.split_once('?').unwrap_or((src, ""));
    let kept: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("retry=")).collect();
    let mut params = kept.join("&");
    if !params.is_empty() {
        params.push('&');
    }
    format!("{path}?{params}retry={stamp}")
}

#[cfg(test)]
mod tests {
    use super::retry_url;

    #[test]
    fn the_retry_stamp_is_added_or_replaced_and_other_parameters_stay() {
        assert_eq!(retry_url("http://h/a.png", 7), "http://h/a.png?retry=7");
        assert_eq!(retry_url("http://h/a.png?width=400", 7), "http://h/a.png?width=400&retry=7");
        assert_eq!(retry_url("http://h/a.png?retry=1&width=400", 8), "http://h/a.png?width=400&retry=8");
    }
}
