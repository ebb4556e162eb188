"""The Dashboard tab: tiles and charts of the office's figures, and the lists behind them."""
