// The kinds of partner organisation (PRODUCT.md "Partner"), on their own so that the CLI can name them in its
// help without loading the partners service.
export const PARTNER_KINDS = ['direct', 'indirectProvider', 'indirectReseller'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
