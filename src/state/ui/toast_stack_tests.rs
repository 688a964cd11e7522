//! The toast rules a creator sees: resolved errors go, page errors stay on their page.

use super::*;

fn publish(id: &str) -> ToastTopic {
    ToastTopic::Publish { generation_id: id.into() }
}

fn texts(stack: &ToastStack) -> Vec<&str> {
    stack.toasts().iter().map(|t| t.text.as_str()).collect()
}

#[test]
fn a_success_about_a_topic_removes_that_topics_error_only() {
    let mut stack = ToastStack::new();
    stack.enter_page("/app/generate/s1");
    stack.push(ToastKind::Error, "Nothing was posted: g1".into(), Some(publish("g1")));
    stack.push(ToastKind::Error, "Nothing was posted: g2".into(), Some(publish("g2")));
    stack.push(ToastKind::Error, "Could not load more sessions".into(), None);
    stack.push(ToastKind::Success, "Published to 1 account.".into(), Some(publish("g1")));
    assert_eq!(texts(&stack), ["Nothing was posted: g2", "Could not load more sessions", "Published to 1 account."]);
}

#[test]
fn a_new_error_about_a_topic_replaces_the_old_one_and_clear_topic_removes_it() {
    let mut stack = ToastStack::new();
    stack.push(ToastKind::Error, "first".into(), Some(publish("g1")));
    stack.push(ToastKind::Error, "second".into(), Some(publish("g1")));
    assert_eq!(texts(&stack), ["second"]);
    stack.clear_topic(&publish("g1"));
    assert!(stack.toasts().is_empty());
}

#[test]
fn leaving_a_page_removes_its_errors_but_not_successes_or_sign_in_errors() {
    let mut stack = ToastStack::new();
    stack.enter_page("/app/generate/s1");
    stack.push(ToastKind::Error, "Could not generate".into(), None);
    stack.push(ToastKind::Success, "Output deleted.".into(), None);
    stack.push(ToastKind::Error, "You were signed out".into(), Some(ToastTopic::SignIn));
    stack.enter_page("/app/generate/s1");
    assert_eq!(texts(&stack).len(), 3, "staying on the page keeps its errors");
    stack.enter_page("/app/posts");
    assert_eq!(texts(&stack), ["Output deleted.", "You were signed out"]);
    stack.push(ToastKind::Error, "Could not load more posts".into(), None);
    assert_eq!(stack.toasts().last().unwrap().page.as_deref(), Some("/app/posts"));
}

#[test]
fn an_identical_toast_in_a_row_is_shown_once_and_ids_are_unique() {
    let mut stack = ToastStack::new();
    let a = stack.push(ToastKind::Error, "Offline".into(), None);
    assert_eq!(stack.push(ToastKind::Error, "Offline".into(), None), None);
    let b = stack.push(ToastKind::Info, "Offline".into(), None);
    assert!(a.is_some() && b.is_some() && a != b);
    stack.dismiss(a.unwrap());
    assert_eq!(stack.toasts().len(), 1);
    assert!(stack.contains(b.unwrap()));
}
