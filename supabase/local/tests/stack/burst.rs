//! A burst far beyond PostgreSQL's 100 connections: the stack's bounded pools queue the work
//! instead of opening a connection per request, so nothing is answered with a 5xx.
use crate::common::*;
use std::sync::{Arc, Barrier};

#[test]
fn five_hundred_concurrent_requests_get_no_5xx() {
    let users: Vec<(String, String)> = (0..5).map(|_| new_user()).map(|(token, _, _, email)| (token, email)).collect();
    let users = Arc::new(users);
    const N: usize = 500;
    let start = Arc::new(Barrier::new(N));
    let threads: Vec<_> = (0..N)
        .map(|i| {
            let (users, start) = (users.clone(), start.clone());
            std::thread::spawn(move || {
                let (token, email) = &users[i % users.len()];
                start.wait();
                let r = match i % 5 {
                    0 => call("GET", "/rest/v1/sessions?select=id,title", &[], None),
                    1 | 2 => {
                        call("GET", "/rest/v1/sessions?select=id,title", &[("authorization", &bearer(token))], None)
                    }
                    3 => call(
                        "POST",
                        "/auth/v1/token?grant_type=password",
                        &[],
                        Some(&format!(r#"{{"email":"{email}","password":"secret123"}}"#)),
                    ),
                    _ => call(
                        "POST",
                        "/auth/v1/signup",
                        &[],
                        Some(&format!(r#"{{"email":"burst{}@example.test","password":"secret123"}}"#, uuid_like())),
                    ),
                };
                (i % 5, r.status, r.body)
            })
        })
        .collect();
    let results: Vec<(usize, u16, String)> = threads.into_iter().map(|t| t.join().expect("request thread")).collect();
    let failed: Vec<&(usize, u16, String)> = results.iter().filter(|(_, s, _)| *s >= 500).collect();
    assert!(failed.is_empty(), "{} of {N} answered 5xx, e.g. {:?}", failed.len(), failed.first());
    // Each kind got its real answer: anon has no grant on sessions (401), the rest succeed.
    for (kind, status, body) in &results {
        let expected = if *kind == 0 { 401 } else { 200 };
        assert_eq!(*status, expected, "request kind {kind}: {body}");
    }
}
