from missionsafety.cli import main

main()
