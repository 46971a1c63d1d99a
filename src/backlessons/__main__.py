from backlessons.cli import main

raise SystemExit(main())
