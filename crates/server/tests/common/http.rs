//! HTTP helpers shared by the API tests: requests sent and read to the end as a [`Reply`],
//! with assertions on the status and on RFC 9457 problem documents, and small readers of
//! validation and import problems.

use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{Value, json};

use super::TestApp;

/// A response read to the end.
pub struct Reply {
    pub label: String,
    pub status: StatusCode,
    pub content_type: String,
    /// The `Idempotent-Replayed` header, when present.
    pub replayed: Option<String>,
    pub text: String,
    pub body: Value,
}

impl Reply {
    /// Asserts the status and returns the JSON body.
    pub fn expect(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.label, self.body);
        self.body
    }

    /// Asserts an RFC 9457 problem with this status and returns it.
    pub fn problem(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.label, self.body);
        assert_eq!(self.content_type, "application/problem+json", "{}", self.label);
        assert!(
            self.body["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("urn:tributary:problem:")),
            "{}: {}",
            self.label,
            self.body
        );
        assert!(
            self.body["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{}",
            self.label
        );
        assert_eq!(self.body["status"], json!(status.as_u16()), "{}", self.label);
        assert!(
            self.body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{}",
            self.label
        );
        self.body
    }

    /// Asserts an RFC 9457 problem with this status (see [`Reply::problem`]) whose object
    /// has non-empty `type`, `title` and `detail`, the title being the status's reason
    /// phrase, and returns it.
    pub fn reasoned_problem(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.label, self.body);
        assert_eq!(self.content_type, "application/problem+json", "{}", self.label);
        let object = self.body.as_object().expect("a problem is a JSON object");
        for key in ["type", "title", "detail"] {
            assert!(
                object.get(key).and_then(Value::as_str).is_some_and(|v| !v.is_empty()),
                "{}: {key} missing in {}",
                self.label,
                self.body
            );
        }
        let label = self.label.clone();
        let problem = self.problem(status);
        assert_eq!(
            problem["title"],
            status.canonical_reason().unwrap(),
            "{label}: the title is the status's reason phrase"
        );
        problem
    }

    /// Asserts a 200 CSV download and returns its text.
    pub fn csv(self) -> String {
        assert_eq!(self.status, StatusCode::OK, "{}: {}", self.label, self.text);
        assert!(
            self.content_type.starts_with("text/csv"),
            "{}: content type {}",
            self.label,
            self.content_type
        );
        self.text
    }
}

/// Sends the request and reads the response to the end.
pub async fn send(app: &TestApp, builder: RequestBuilder) -> Reply {
    let (client, request) = builder.build_split();
    let request = request.expect("a well-formed request");
    let label = format!(
        "{:?} {} {}{}",
        app.backend,
        request.method(),
        request.url().path(),
        request.url().query().map(|q| format!("?{q}")).unwrap_or_default()
    );
    let response = client.execute(request).await.expect("the server answers");
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type").unwrap_or_default();
    let replayed = header("idempotent-replayed");
    let text = response.text().await.expect("a readable body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.clone()));
    Reply {
        label,
        status,
        content_type,
        replayed,
        text,
        body,
    }
}

pub async fn get(app: &TestApp, client: &Client, path: &str) -> Reply {
    send(app, client.get(app.url(path))).await
}

pub async fn post(app: &TestApp, client: &Client, path: &str, body: &Value) -> Reply {
    send(app, client.post(app.url(path)).json(body)).await
}

pub async fn put(app: &TestApp, client: &Client, path: &str, body: &Value) -> Reply {
    send(app, client.put(app.url(path)).json(body)).await
}

pub async fn delete(app: &TestApp, client: &Client, path: &str) -> Reply {
    send(app, client.delete(app.url(path))).await
}

/// The `field`s of a 422 problem's `errors`.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a validation problem lists its errors: {problem}"))
        .iter()
        .map(|e| e["field"].as_str().expect("each error names its field").to_string())
        .collect()
}

/// The message of the error on `field`.
pub fn message<'a>(problem: &'a Value, field: &str) -> &'a str {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("no error on {field}: {problem}"))
}

/// The `(row, column)` pairs of an import problem.
pub fn rows(problem: &Value) -> Vec<(u64, String)> {
    problem["rows"]
        .as_array()
        .expect("an invalid-rows problem lists its rows")
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["column"].as_str().unwrap().to_string()))
        .collect()
}

/// The message of an import problem at `row`, `column`.
pub fn row_message<'a>(problem: &'a Value, row: u64, column: &str) -> &'a str {
    problem["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["row"] == row && r["column"] == column)
        .and_then(|r| r["message"].as_str())
        .unwrap_or_else(|| panic!("no problem at row {row}, {column}: {problem}"))
}

/// The body of a reseller in Germany paying out in EUR, with only the required fields.
pub fn partner_body(name: &str) -> Value {
    json!({
        "name": name, "partner_type": "reseller", "size_band": "11-50", "country": "DE",
        "tax_country": "DE", "payout_currency": "EUR"
    })
}

/// Creates the customer account "Globex" (a US company) as `admin`; returns its id.
pub async fn new_account(app: &TestApp, admin: &Client) -> String {
    post(
        app,
        admin,
        "/api/v1/accounts",
        &json!({ "name": "Globex", "kind": "company", "country": "US" }),
    )
    .await
    .expect(StatusCode::CREATED)["id"]
        .as_str()
        .unwrap()
        .to_string()
}
