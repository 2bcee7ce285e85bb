//! Re-closing a period whose statement is already approved never edits it: the difference
//! between what was approved and what the period now yields is posted as adjustment lines
//! into the partner's next open period.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The rounded amounts one approved line paid, or a recalculation now says it should.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Paid {
    #[schema(value_type = String)]
    pub gross: Decimal,
    #[schema(value_type = String)]
    pub withholding: Decimal,
}

/// What to post so the approved amounts become the recalculated ones; `None` when equal.
pub fn adjustment(approved: Paid, recalculated: Paid) -> Option<Paid> {
    let delta = Paid {
        gross: recalculated.gross - approved.gross,
        withholding: recalculated.withholding - approved.withholding,
    };
    (!delta.gross.is_zero() || !delta.withholding.is_zero()).then_some(delta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn only_differences_are_posted() {
        let approved = Paid {
            gross: dec!(500.00),
            withholding: dec!(50.00),
        };
        assert_eq!(adjustment(approved, approved), None);
        let lower = Paid {
            gross: dec!(420.00),
            withholding: dec!(42.00),
        };
        assert_eq!(
            adjustment(approved, lower),
            Some(Paid {
                gross: dec!(-80.00),
                withholding: dec!(-8.00)
            })
        );
    }
}
