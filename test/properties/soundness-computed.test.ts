// SOUNDNESS.md §5 on templates that compare parameters with computed values, other parameters and pseudo
// parameters, look up mappings by Ref'd names and keys, and hide unevaluable branches behind Fn::If (issue #12).
import { COMPUTED_COUNTEREXAMPLES } from './counterexamples2';
import { defineSoundnessProperties } from './properties2';
import { templates2 } from './templates2';

defineSoundnessProperties('soundness against a brute-force oracle: computed comparisons', templates2({ lists: false }), COMPUTED_COUNTEREXAMPLES);
