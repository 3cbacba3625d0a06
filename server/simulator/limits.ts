// Field limits of a simulation, shared by the domain check and the back-office form.
export const MAX_NAME_CHARS = 40;
