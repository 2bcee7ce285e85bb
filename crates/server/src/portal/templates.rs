//! The portal's templates (minijinja), compiled into the binary from `templates/` so the
//! server needs no files beside it. Every page extends `layout.html`.

use axum::response::Html;
use minijinja::Environment;
use serde::Serialize;

use crate::error::{AppResult, internal};

/// Every template file, by name.
const FILES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../../templates/layout.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("home.html", include_str!("../../templates/home.html")),
];

pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        for (name, source) in FILES {
            env.add_template(name, source)
                .expect("portal templates are valid (checked by tests)");
        }
        Self { env }
    }

    pub fn render(&self, name: &str, context: impl Serialize) -> AppResult<Html<String>> {
        let template = self.env.get_template(name).map_err(internal)?;
        template.render(context).map(Html).map_err(internal)
    }
}
