// Tests exercise failures on purpose (unreachable channels, refused actions): keep the JSON logs to real errors.
process.env.LOG_LEVEL ??= 'error';
