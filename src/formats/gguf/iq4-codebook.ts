// ggml's kvalues_iq4nl: the 16 non-uniform int8 levels that IQ4_NL and IQ4_XS codes index (lowbit.md §1.16).
export const IQ4_NL_VALUES: readonly number[] = Object.freeze([-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113]);
