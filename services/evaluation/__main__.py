from evaluation.service import SERVICE

SERVICE.main()
