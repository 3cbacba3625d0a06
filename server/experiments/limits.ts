// Field limits of an experiment, shared by the domain check and the back-office form.
export const MAX_NAME_CHARS = 40;
export const MAX_HYPOTHESIS_CHARS = 200;
export const MIN_VARIANT_PERCENT = 1;
export const MAX_VARIANT_PERCENT = 99;
