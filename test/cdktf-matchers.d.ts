// Brings cdktf's jest matcher declarations (registered at run time by test/setup.ts) into the type check.
import 'cdktf/lib/testing/adapters/jest';
