// Cart limits shared by the domain and the shop UI.
export const MAX_CART_QTY = 99;
