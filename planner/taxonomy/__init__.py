"""The classifications firms describe themselves with: HS 2022 products and ISIC Rev.4 activities."""
