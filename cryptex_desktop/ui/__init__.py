"""The Qt app: screens, dialogs, models and widgets for Cryptex Desktop."""
