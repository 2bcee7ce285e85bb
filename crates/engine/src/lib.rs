//! The fast path of tier evaluation: a columnar image of the facts with dense partner
//! indexes, day numbers and integer minor units, evaluated across cores.
