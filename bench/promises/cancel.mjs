// cancel has no plain-promise form: a promise cannot be cancelled. This contender only reports
// that, so the table says so instead of leaving a gap.
import { report } from '../lib/report.mjs';

report('cancel', 'promises', 0, 0, { skipped: 'a promise cannot be cancelled' });
