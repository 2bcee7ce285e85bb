//! Incentives, reference semantics (PRODUCT.md §5): plans as data, periods, eligibility,
//! the measure over a period's matching transactions, the calculation with its working,
//! and the settlement — multiplier, cap, carry, FX, half-even rounding, withholding — in
//! the fixed order that makes any two correct implementations agree to the cent.
//! Plain, obviously-correct code: the engine's columnar close is checked against it.

pub mod adjustment;
pub mod calculation;
pub mod close;
pub mod eligibility;
pub mod error;
pub mod measure;
pub mod period;
pub mod plan;
pub mod settle;

pub use adjustment::{Paid, adjustment};
pub use calculation::{Calculated, CalculationPart, calculate};
pub use close::{CloseData, EligiblePartner, close_plan};
pub use eligibility::PartnerProfile;
pub use error::CloseError;
pub use measure::{
    Contribution, CustomFact, Measured, RegionCountries, Transaction, contribution, first_sales, matcher, measure,
    passes,
};
pub use period::{Period, PeriodKind};
pub use plan::{
    Band, BonusStep, Calculation, Eligibility, MAX_HOLDING_DAYS, Measure, Payee, Plan, PlanKind, TierLink,
    TransactionFilter,
};
pub use settle::{POINTS_UNIT, PartnerTerms, Settlement, settle};

#[cfg(test)]
mod tests;
