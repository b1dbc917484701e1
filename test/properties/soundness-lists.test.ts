// SOUNDNESS.md §5 for list parameters (issue #20): CommaDelimitedList inputs range over every list of one to three
// items, each item allowed, read through Fn::Select, Fn::Join and Fn::Length.
import { LIST_COUNTEREXAMPLES } from './counterexamples2';
import { defineSoundnessProperties } from './properties2';
import { templates2 } from './templates2';

defineSoundnessProperties('soundness against a brute-force oracle: list parameters', templates2({ lists: true }), LIST_COUNTEREXAMPLES);
