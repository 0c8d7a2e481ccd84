/// The Audit module: full-coverage checks over a Huzhu ledger (see issue 4).
enum AuditModule {}
