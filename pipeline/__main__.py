from pipeline.launch import main

if __name__ == "__main__":  # worker processes import this module too: they must not build
    main()
