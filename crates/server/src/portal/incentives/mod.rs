//! Incentives in the portal (PRODUCT.md §5): plans edited without code as drafts and
//! published as versions, the period close with its progress, statements reviewed and
//! approved through the approval workflow, spend by plan and region; for partners the
//! earnings overview and each statement with the explanation of every line. Every action
//! goes through the same services as the REST API, which authorise it again.

pub mod describe;
pub mod explain;
pub mod plan_form;
