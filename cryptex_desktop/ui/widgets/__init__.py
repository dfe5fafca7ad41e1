"""Small reusable widgets the screens are built from: QR code, amount, address and coupon fields."""
