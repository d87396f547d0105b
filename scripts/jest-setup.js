// Runs before every test file. The AWS SDK warns once per process that its releases after January
// 2027 need Node 22; the pinned versions run on Node 20, and the notice drowns test output (child
// processes inherit the setting). The platform's Node upgrade is tracked outside the tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
