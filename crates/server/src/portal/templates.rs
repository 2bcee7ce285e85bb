pub struct Templates;
impl Templates {
    pub fn new() -> Self {
        Self
    }
}
