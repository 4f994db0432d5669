//! Streaming, exactly mergeable statistics for Monte Carlo runs.
