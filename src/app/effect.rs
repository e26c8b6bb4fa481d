//! What `update` asks the runtime to do: the only way the pure core touches the world.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Leave with this message on stderr and a non-zero status (nothing could be read).
    Fail(String),
}
