"""linkage"""
